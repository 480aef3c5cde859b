//! `vault verify` and `vault rotate-master`: the reference server's
//! encrypted secrets, checked or moved to a new master key. Neither prints
//! a secret or a key.

use super::serve::data_dir_or_default;
use super::{Failure, Outcome, VaultCommand, print};
use crate::server;

pub(super) fn run(command: VaultCommand) -> Outcome {
    match command {
        VaultCommand::Verify { data } => verify(&data_dir_or_default(data.data_dir)?),
        VaultCommand::RotateMaster { data } => {
            let rotated = server::rotate_master_key(&data_dir_or_default(data.data_dir)?)?;
            let mut text = format!(
                "master key rotated: {} sealed values wrapped with the new key in {}; back up \
                 that file now. The old key opens nothing in this database any more, but a \
                 backup of it from before still needs the old key (the secrets themselves \
                 are not encrypted again)\n",
                rotated.rewrapped,
                rotated.key_file.display()
            );
            if !rotated.wal_truncated {
                text.push_str(
                    "note: another process holds the database, so the old wrapped keys stay \
                     in its WAL until the next checkpoint (the next server start makes one)\n",
                );
            }
            print(&text)
        }
    }
}

fn verify(data_dir: &std::path::Path) -> Outcome {
    let report = server::verify_vault(data_dir, None)?;
    let mut out = String::new();
    for failure in &report.failures {
        out.push_str(&format!("FAILED {failure}\n"));
    }
    let checked = report.provider_keys + report.assistants;
    out.push_str(&format!(
        "{checked} checked ({} provider keys, {} assistants with secrets): {} failed\n",
        report.provider_keys,
        report.assistants,
        report.failed_secrets()
    ));
    print(&out)?;
    if report.is_sound() {
        Ok(())
    } else {
        Err(Failure {
            message: None,
            code: super::exit_codes::FAILED,
        })
    }
}
