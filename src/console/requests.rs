//! The requests in flight: ids, what each is, and the rule that only the
//! latest load of a kind is answered — an older one is cancelled.

use std::collections::HashMap;

use super::msg::{Call, Cmd, Load, RequestId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct InFlight {
    load: Option<Load>,
    /// Asked by the console on its own (the periodic refresh): not shown
    /// as in flight and animates nothing, so idle stays idle.
    background: bool,
}

#[derive(Debug)]
pub struct Requests {
    next: RequestId,
    in_flight: HashMap<RequestId, InFlight>,
}

impl Default for Requests {
    fn default() -> Self {
        Requests {
            next: 1,
            in_flight: HashMap::new(),
        }
    }
}

impl Requests {
    /// Registers `call`; a load supersedes the one of its kind still in
    /// flight, which is cancelled. The call's own command comes last.
    pub fn start(&mut self, call: Call) -> (RequestId, Vec<Cmd>) {
        self.begin(call, false)
    }

    /// `start` for a request nobody is waiting for.
    pub fn start_background(&mut self, call: Call) -> (RequestId, Vec<Cmd>) {
        self.begin(call, true)
    }

    fn begin(&mut self, call: Call, background: bool) -> (RequestId, Vec<Cmd>) {
        let load = call.load();
        let mut cmds = Vec::new();
        if let Some(load) = load {
            let superseded: Vec<RequestId> = self
                .in_flight
                .iter()
                .filter(|(_, f)| f.load == Some(load))
                .map(|(id, _)| *id)
                .collect();
            for id in superseded {
                self.in_flight.remove(&id);
                cmds.push(Cmd::Cancel(id));
            }
        }
        let id = self.next;
        self.next += 1;
        self.in_flight.insert(id, InFlight { load, background });
        cmds.push(Cmd::Api { id, call });
        (id, cmds)
    }

    /// How a reply to `id` is wanted: `None` when it is not (superseded or
    /// answered), else whether it was a background request. `last` ends the
    /// request (a paged load answers several times).
    pub fn answer(&mut self, id: RequestId, last: bool) -> Option<Answered> {
        let flight = *self.in_flight.get(&id)?;
        if last {
            self.in_flight.remove(&id);
        }
        Some(Answered {
            background: flight.background,
        })
    }

    /// A load of `load` in flight started before a write that has just
    /// landed would bring back the state before it: it is cancelled and
    /// asked again, as it was asked (in the background or not).
    pub fn restart(&mut self, load: Load, call: impl FnOnce() -> Call) -> Vec<Cmd> {
        let Some(background) = self
            .in_flight
            .values()
            .find(|f| f.load == Some(load))
            .map(|f| f.background)
        else {
            return Vec::new();
        };
        self.begin(call(), background).1
    }

    /// Forgets a request whose command will not be sent (a read-only
    /// session drops writes).
    pub fn forget(&mut self, id: RequestId) {
        self.in_flight.remove(&id);
    }

    /// Requests the user is waiting for.
    pub fn shown(&self) -> usize {
        self.in_flight.values().filter(|f| !f.background).count()
    }

    pub fn is_loading(&self, load: Load) -> bool {
        self.in_flight.values().any(|f| f.load == Some(load))
    }
}

/// What `answer` knows of a reply that is still wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answered {
    pub background: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(cmds: &[Cmd]) -> Vec<String> {
        cmds.iter()
            .map(|c| match c {
                Cmd::Api { id, .. } => format!("api {id}"),
                Cmd::Cancel(id) => format!("cancel {id}"),
                Cmd::Rank(_) => "rank".to_owned(),
                Cmd::Console(effect) => format!("{effect:?}"),
            })
            .collect()
    }

    #[test]
    fn a_newer_load_cancels_the_older_and_only_its_reply_counts() {
        let mut r = Requests::default();
        assert_eq!(ids(&r.start(Call::Byok).1), ["api 1"]);
        assert_eq!(ids(&r.start(Call::Byok).1), ["cancel 1", "api 2"]);
        assert!(r.answer(1, true).is_none());
        assert!(r.answer(2, true).is_some());
        assert!(r.answer(2, true).is_none(), "answered once");
    }

    #[test]
    fn writes_are_never_superseded() {
        let mut r = Requests::default();
        let delete = || Call::DeleteKey {
            provider: "openai".into(),
        };
        r.start(delete());
        assert_eq!(ids(&r.start(delete()).1), ["api 2"]);
        assert_eq!(r.shown(), 2);
    }

    #[test]
    fn a_paged_load_stays_in_flight_until_its_last_page() {
        let mut r = Requests::default();
        r.start(Call::Assistants);
        assert!(r.answer(1, false).is_some());
        assert!(r.is_loading(Load::Assistants));
        assert!(r.answer(1, true).is_some());
        assert!(!r.is_loading(Load::Assistants));
    }

    #[test]
    fn background_requests_are_not_shown_and_say_so_when_answered() {
        let mut r = Requests::default();
        r.start_background(Call::Health);
        assert_eq!(r.shown(), 0);
        assert_eq!(r.answer(1, true), Some(Answered { background: true }));
    }

    #[test]
    fn a_load_in_flight_across_a_write_is_asked_again() {
        let mut r = Requests::default();
        r.start_background(Call::Byok);
        assert_eq!(
            ids(&r.restart(Load::Byok, || Call::Byok)),
            ["cancel 1", "api 2"]
        );
        assert_eq!(r.shown(), 0, "still in the background");
        assert!(r.restart(Load::Assistants, || Call::Assistants).is_empty());
    }
}
