//! slumber, the terminal HTTP client, started the same way as the console
//! beside it: the same pseudo-terminal and the same kind of throwaway home,
//! on a collection of the requests an operator makes against `serve`.

use crate::runs::Home;
use crate::serve::Serve;
use crate::table::Figure;
use crate::term::{Seen, last_row};

/// Recipe names, shown in slumber's request list once it has drawn.
const RECIPES: [&str; 3] = ["List keys", "List assistants", "Catalog"];

/// Spawn → the first frame that lists every recipe, with a status bar.
pub fn start_up(exe: &str, serve: &Serve, figure: &mut Figure) -> anyhow::Result<()> {
    let home = Home::new()?;
    std::fs::write(home.path().join("slumber.yml"), collection(&serve.base_url))?;
    let console = home.spawn_plain(exe)?;
    let complete = console.wait_for("slumber's first frame", |screen| {
        let text = screen.contents();
        let drawn =
            RECIPES.iter().all(|name| text.contains(name)) && !last_row(screen).trim().is_empty();
        if drawn { Seen::Done } else { Seen::NotYet }
    })?;
    figure.add_duration(complete.saturating_duration_since(console.spawned_at));
    // Dropping the console kills it: slumber keeps no state worth a clean exit here.
    Ok(())
}

/// No key in it: the first frame sends nothing.
fn collection(base_url: &str) -> String {
    let recipe = |id: &str, name: &str, path: &str| {
        format!("  {id}:\n    name: {name}\n    method: GET\n    url: \"{{{{host}}}}{path}\"\n")
    };
    [
        format!("profiles:\n  local:\n    data:\n      host: \"{base_url}\"\nrequests:\n"),
        recipe("byok", RECIPES[0], "/byok"),
        recipe("assistants", RECIPES[1], "/assistants"),
        recipe("catalog", RECIPES[2], "/byok/config"),
    ]
    .concat()
}
