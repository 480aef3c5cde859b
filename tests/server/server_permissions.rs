//! An existing data dir or database that other users can read is refused,
//! with the command that fixes it, like the master key file.

use testkit::common;

#[cfg(unix)]
#[tokio::test]
async fn a_data_dir_or_database_others_can_read_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    use std::path::Path;

    use common::test_config;
    use voicedock::server::{self, DB_FILE};

    let set = |path: &Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    let refusal = |dir: &Path| {
        let config = test_config(dir);
        async move {
            match server::start(config).await {
                Ok(_) => panic!("started on a readable data dir"),
                Err(e) => format!("{e:#}"),
            }
        }
    };

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    server::start(test_config(&data))
        .await
        .unwrap()
        .shutdown()
        .await;
    let db = data.join(DB_FILE);
    assert_eq!(
        std::fs::metadata(&data).unwrap().permissions().mode() & 0o777,
        0o700
    );
    assert_eq!(
        std::fs::metadata(&db).unwrap().permissions().mode() & 0o777,
        0o600
    );

    set(&db, 0o644);
    let err = refusal(&data).await;
    assert!(err.contains(&db.display().to_string()), "{err}");
    assert!(err.contains("chmod 600"), "{err}");
    set(&db, 0o600);

    set(&data, 0o750);
    let err = refusal(&data).await;
    assert!(err.contains(&data.display().to_string()), "{err}");
    assert!(err.contains("chmod 700"), "{err}");
    let err = format!("{:#}", server::create_account(&data, "Acme").unwrap_err());
    assert!(err.contains("chmod 700"), "{err}");

    set(&data, 0o700);
    server::start(test_config(&data))
        .await
        .unwrap()
        .shutdown()
        .await;
}
