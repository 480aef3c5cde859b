//! The connections that are open: counted overall and per client address,
//! and, when the overall cap is reached, the one idle longest asked to make
//! room. A socket that only waits (idle, or dripping a request head) must
//! not keep a working client out; one whose request is being handled is
//! never closed for this.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::Notify;

use super::ConnectionLimits;
use super::activity::Activity;

/// Connections asked to make room may still be closing, each holding its
/// descriptor: this many may be, and no more, so that a flood of newcomers
/// cannot run the process out of descriptors faster than they close.
const MAKING_ROOM_AT_MOST: usize = 16;

#[derive(Default)]
pub struct OpenConnections {
    state: Mutex<State>,
    /// Woken whenever a connection closes.
    closed: Notify,
}

#[derive(Default)]
struct State {
    next_id: u64,
    per_client: HashMap<IpAddr, usize>,
    open: HashMap<u64, Open>,
}

struct Open {
    activity: Arc<Activity>,
    make_room: Arc<Notify>,
    /// Asked already: not counted against the cap any more.
    leaving: bool,
}

/// Why a connection was not admitted.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Its address has all the connections it may have.
    ClientFull,
    /// Every open connection has a request being handled.
    ServerFull,
}

impl OpenConnections {
    /// Resolves once fewer connections are open than `limits` and those
    /// still closing allow. Until then the newcomer waits in the kernel's
    /// backlog, where it holds none of this process's descriptors.
    pub async fn room_for_one_more(&self, limits: &ConnectionLimits) {
        loop {
            let closed = self.closed.notified();
            tokio::pin!(closed);
            // Registered before the check, so a close in between is not lost.
            closed.as_mut().enable();
            {
                let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
                if state.open.len() < limits.max_connections + MAKING_ROOM_AT_MOST {
                    return;
                }
            }
            closed.await;
        }
    }

    pub fn admit(
        self: &Arc<Self>,
        client: IpAddr,
        limits: &ConnectionLimits,
    ) -> Result<Slot, Refusal> {
        let client = share_of(client);
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let of_client = state.per_client.get(&client).copied().unwrap_or(0);
        if of_client >= limits.max_per_client {
            return Err(Refusal::ClientFull);
        }
        let staying = state.open.values().filter(|o| !o.leaving).count();
        if staying >= limits.max_connections {
            let idlest = state
                .open
                .iter_mut()
                .filter(|(_, o)| !o.leaving)
                .filter_map(|(_, o)| o.activity.idle_since().map(|since| (since, o)))
                .min_by_key(|(since, _)| *since);
            let Some((_, idlest)) = idlest else {
                return Err(Refusal::ServerFull);
            };
            idlest.leaving = true;
            // Stored if the connection is not waiting yet, so it still sees it.
            idlest.make_room.notify_one();
        }
        let id = state.next_id;
        state.next_id += 1;
        state.per_client.insert(client, of_client + 1);
        let activity = Activity::new();
        let make_room = Arc::new(Notify::new());
        state.open.insert(
            id,
            Open {
                activity: Arc::clone(&activity),
                make_room: Arc::clone(&make_room),
                leaving: false,
            },
        );
        Ok(Slot {
            open: Arc::clone(self),
            client,
            id,
            activity,
            make_room,
        })
    }
}

/// One admitted connection; dropping it frees its place.
pub struct Slot {
    open: Arc<OpenConnections>,
    client: IpAddr,
    id: u64,
    pub activity: Arc<Activity>,
    make_room: Arc<Notify>,
}

impl Slot {
    /// Resolves when the connection is asked to close for a newer one.
    pub async fn asked_to_make_room(&self) {
        self.make_room.notified().await;
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut state = self
            .open
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        state.open.remove(&self.id);
        self.open.closed.notify_waiters();
        if let Some(n) = state.per_client.get_mut(&self.client) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                state.per_client.remove(&self.client);
            }
        }
    }
}

/// Whose share a connection counts against: an IPv4 address, or an IPv6
/// /64 — one host is usually given a whole /64, so a cap per IPv6 address
/// would cap nothing. An IPv4-mapped IPv6 address is its IPv4 address.
fn share_of(client: IpAddr) -> IpAddr {
    match client {
        IpAddr::V4(_) => client,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let network = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(std::net::Ipv6Addr::from(network))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn limits(max_connections: usize, max_per_client: usize) -> ConnectionLimits {
        ConnectionLimits {
            max_connections,
            max_per_client,
            ..ConnectionLimits::default()
        }
    }

    fn ip(last: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(127, 0, 0, last))
    }

    #[test]
    fn one_address_gets_its_share_and_no_more() {
        let open = Arc::new(OpenConnections::default());
        let limits = limits(10, 2);
        let first = open.admit(ip(2), &limits).unwrap();
        let _second = open.admit(ip(2), &limits).unwrap();
        assert_eq!(open.admit(ip(2), &limits).err(), Some(Refusal::ClientFull));
        assert!(open.admit(ip(3), &limits).is_ok());
        drop(first);
        assert!(open.admit(ip(2), &limits).is_ok());
    }

    #[test]
    fn when_full_the_idlest_makes_room_and_busy_ones_never_do() {
        let open = Arc::new(OpenConnections::default());
        let limits = limits(2, 10);
        let oldest = open.admit(ip(2), &limits).unwrap();
        let busy = open.admit(ip(2), &limits).unwrap();
        let _handling = busy.activity.handling();
        let newcomer = open.admit(ip(1), &limits).unwrap();
        let room = oldest.asked_to_make_room();
        futures_util::pin_mut!(room);
        let waker = futures_util::task::noop_waker();
        let mut cx = std::task::Context::from_waker(&waker);
        assert!(
            room.as_mut().poll(&mut cx).is_ready(),
            "the idle one was asked"
        );
        // The newcomer is busy too now: nobody is left to make room.
        let _also_handling = newcomer.activity.handling();
        assert_eq!(open.admit(ip(1), &limits).err(), Some(Refusal::ServerFull));
    }

    #[test]
    fn an_ipv6_host_counts_by_its_64_and_a_mapped_address_as_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(share_of(a), share_of(b));
        assert_ne!(share_of(a), share_of(other));
        let mapped: IpAddr = "::ffff:127.0.0.2".parse().unwrap();
        assert_eq!(share_of(mapped), "127.0.0.2".parse::<IpAddr>().unwrap());
    }
}
