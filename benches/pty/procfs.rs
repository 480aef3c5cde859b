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

/// Time on a CPU of the process's live threads so far, in nanoseconds, from
/// the scheduler's own count (`/proc/PID/task/TID/schedstat`): an idle
/// console spends less than the 10 ms clock tick `/proc/PID/stat` counts in.
/// A thread that exits takes its count with it; the worker and the tokio
/// threads live as long as the console, and a blocking-pool thread lingers
/// 10 s after its last job.
pub fn cpu_time(pid: u32) -> anyhow::Result<Duration> {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task"))
        .with_context(|| format!("cannot list /proc/{pid}/task"))?;
    let mut nanos = 0u64;
    for task in tasks {
        let path = task?.path().join("schedstat");
        // A thread gone between the listing and the read spent nothing since.
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let on_cpu = text
            .split_whitespace()
            .next()
            .context("an empty schedstat")?;
        nanos += on_cpu
            .parse::<u64>()
            .with_context(|| format!("{} is not a count: {text:?}", path.display()))?;
    }
    Ok(Duration::from_nanos(nanos))
}
