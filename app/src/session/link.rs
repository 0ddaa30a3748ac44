//! The session's side of the socket to the relay (`net`): what the socket asks of it. The token
//! it connects with, traded for a fresh one near its expiry, and the relay's API asked why a
//! connect was refused.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use quorum_shared::sync::{Client, Event};

use super::{Inner, KeptMembership, check_access, refresh_access};
use crate::net::{Connection, Host, SyncStatus};

impl Host for Inner {
    fn client(&self) -> &RefCell<Client> {
        &self.client
    }

    fn connection(&self) -> &RefCell<Connection> {
        &self.connection
    }

    fn status(&self) -> RwSignal<SyncStatus> {
        self.status
    }

    fn is_stopped(&self) -> bool {
        Inner::is_stopped(self)
    }

    fn token(&self) -> String {
        self.current_membership().token
    }

    fn token_needs_refresh(&self) -> bool {
        let now = (js_sys::Date::now() / 1000.0) as u64;
        self.current_membership().needs_refresh(now)
    }

    /// A relay that cannot be reached leaves the old token in use (it still works until it
    /// expires) and the next open tries again; a fresh token is kept for the next visit.
    async fn refresh_token(&self) -> Option<String> {
        let membership = self.current_membership();
        match refresh_access(&membership).await {
            Ok(fresh) if fresh.workspace_id == membership.workspace_id && !Inner::is_stopped(self) => {
                if let Err(error) = fresh.save() {
                    leptos::logging::warn!("the refreshed access token is used but not kept: {error}");
                }
                *self.refreshed.borrow_mut() = Some(fresh);
                None
            }
            Ok(_) => None,
            Err(failure) if failure.refused() => Some(failure.message),
            Err(failure) => {
                leptos::logging::warn!("the access token was not refreshed: {}", failure.message);
                None
            }
        }
    }

    async fn refusal(&self, token: &str) -> Option<String> {
        match check_access(token).await {
            Err(failure) if failure.refused() => Some(failure.message),
            _ => None,
        }
    }

    fn handle_events(self: &Rc<Self>, events: Vec<Event>) {
        self.handle(events);
    }

    fn fresh_peer_id(&self) -> String {
        super::fresh_peer_id()
    }
}
