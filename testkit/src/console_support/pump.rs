//! The console's requests answered by a real server through the real
//! client, for tests that drive `update`/`view` without the loop.

use tokio::runtime::Runtime;
use voicedock::client::ApiClient;
use voicedock::console::worker::perform;
use voicedock::domain::Catalog;

use super::Harness;

impl Harness {
    /// Performs every request the console made with the real client and
    /// feeds the answers back, while the answers lead to more requests.
    pub fn pump(&mut self, rt: &Runtime, client: &ApiClient) {
        let builtin = Catalog::builtin();
        for _ in 0..10 {
            let outbox = std::mem::take(&mut self.outbox);
            if outbox.is_empty() {
                return;
            }
            for (id, call) in outbox {
                let result = rt.block_on(perform(client, &builtin, &Default::default(), call));
                self.send_reply(id, result);
            }
        }
    }
}
