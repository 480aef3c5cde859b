//! Every exit code of the binary, once: the commands, the console and
//! `main` exit with these, and `--help` and the man page list `ALL`.

pub const SUCCESS: u8 = 0;
/// An error said on stderr; also a verdict a command printed already.
pub const FAILED: u8 = 1;
pub const USAGE: u8 = 2;
/// `byok test`: the provider gave no verdict on the key.
pub const NO_VERDICT: u8 = 3;
/// 128 + the signal's number, as a shell reports a process it killed.
pub const HUNG_UP: u8 = 129;
pub const TERMINATED: u8 = 143;

/// Each code and what it means, for the documentation.
pub const ALL: &[(u8, &str)] = &[
    (
        SUCCESS,
        "Success. `byok test`: the key is valid. `assistants diff`: nothing would change.",
    ),
    (
        FAILED,
        "An API, validation or file error, said on stderr. `byok test`: the key is invalid \
         or rate-limited. `assistants diff`: something would change. `vault verify`: a \
         secret does not decrypt.",
    ),
    (
        USAGE,
        "A usage error: an unknown command, flag or profile, a key given as an argument, \
         or only one of VOICEDOCK_BASE_URL and VOICEDOCK_API_KEY. `assistants diff`: it \
         could not find out (diff(1)'s trouble).",
    ),
    (
        NO_VERDICT,
        "`byok test`: no verdict; the provider could not be asked or did not say.",
    ),
    (HUNG_UP, "The console's terminal hung up (SIGHUP)."),
    (TERMINATED, "The console was ended by SIGTERM."),
];
