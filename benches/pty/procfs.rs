//! What Linux says about a process in /proc: its memory and CPU time.

use std::time::Duration;

use anyhow::Context;

pub struct Memory {
    /// Peak resident set ("high water mark") since the process started.
    pub peak_kib: u64,
    pub resident_kib: u64,
}

pub fn memory(pid: u32) -> anyhow::Result<Memory> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("cannot read /proc/{pid}/status"))?;
    let field = |name: &str| -> anyhow::Result<u64> {
        let line = status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .with_context(|| format!("no {name} in /proc/{pid}/status"))?;
        let kib = line.trim().trim_end_matches("kB").trim();
        kib.parse()
            .with_context(|| format!("{name} is not a number: {line:?}"))
    };
    Ok(Memory {
        peak_kib: field("VmHWM:")?,
        resident_kib: field("VmRSS:")?,
    })
}

/// User plus system time of all the process's threads so far, in whole
/// clock ticks (10 ms each on most kernels).
pub fn cpu_time(pid: u32) -> anyhow::Result<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .with_context(|| format!("cannot read /proc/{pid}/stat"))?;
    // The command name can hold spaces and parentheses; the fields after it cannot.
    let after_name = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .context("/proc/PID/stat has no command name")?;
    // Fields 14 (utime) and 15 (stime); the text after the name starts at field 3.
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |index: usize| -> anyhow::Result<u64> {
        fields
            .get(index)
            .context("/proc/PID/stat is shorter than documented")?
            .parse()
            .context("a CPU time in /proc/PID/stat is not a number")
    };
    let total = ticks(11)? + ticks(12)?;
    Ok(Duration::from_secs_f64(total as f64 / ticks_per_second()))
}

fn ticks_per_second() -> f64 {
    let asked = std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse::<f64>().ok());
    // USER_HZ has been 100 on every Linux architecture in use.
    asked.filter(|hz| *hz > 0.0).unwrap_or(100.0)
}
