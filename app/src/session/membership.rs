//! This browser's memberships, as the relay issued them, kept in localStorage so that a reload
//! (or a visit with no network) reopens the same workspace, and the home page lists every
//! workspace this browser has joined or created.
//!
//! ```ignore
//! membership.save()?;                  // the open workspace, and one more in the list
//! let all = Memberships::load();       // what the home page lists
//! ```

/// The localStorage key of the workspace open now; tests read the token from it to invite a
/// second browser.
pub const KEY: &str = "quorum.membership";

/// The localStorage key of every workspace this browser belongs to.
pub const LIST_KEY: &str = "quorum.memberships";

/// How long before its expiry an access token is refreshed: a month of the relay's 90 days.
pub const REFRESH_AHEAD_SECS: u64 = 30 * 24 * 3600;

/// A member's credentials, exactly as `POST /api/workspaces` and `POST /api/invites/accept`
/// return them: the relay's API type, kept as it came.
pub use quorum_shared::api::Membership;

/// What this browser does with a [`Membership`] besides reading it: keep it in localStorage and
/// decide when to refresh its token. A trait, because the type itself is the API's, in `shared`.
pub trait KeptMembership: Sized {
    fn needs_refresh(&self, now: u64) -> bool;
    fn load() -> Option<Self>;
    fn remember_name(&self, name: &str);
    fn member_name(&self) -> Option<String>;
    fn save(&self) -> Result<(), String>;
}

fn name_key(membership: &Membership) -> String {
    format!("quorum.member-name.{}", membership.workspace_id)
}

impl KeptMembership for Membership {
    /// Whether the access token is near enough its expiry (or past it) to be traded for a fresh
    /// one on open: a month ahead, so that a member who opens the workspace at least once a
    /// month never finds their access lapsed. `now` is in seconds since the epoch.
    fn needs_refresh(&self, now: u64) -> bool {
        self.expires_at <= now.saturating_add(REFRESH_AHEAD_SECS)
    }

    /// The membership this browser kept, if any. One that cannot be read is ignored: the person
    /// can join or create again, which is better than a page that never opens.
    fn load() -> Option<Self> {
        let stored = local_storage()?.get_item(KEY).ok()??;
        serde_json::from_str(&stored).ok()
    }

    /// Keeps the name the person gave when creating or joining (the relay's answer does not
    /// carry it), so that the root document can list this device under it.
    fn remember_name(&self, name: &str) {
        if let Some(storage) = local_storage() {
            // Lost, it only means the root document does not list this device yet.
            let _ = storage.set_item(&name_key(self), name);
        }
    }

    /// The name [`Membership::remember_name`] kept, if any.
    fn member_name(&self) -> Option<String> {
        let name = local_storage()?.get_item(&name_key(self)).ok()??;
        Some(name).filter(|name| !name.trim().is_empty())
    }

    /// Keeps the membership for the next visit, as the workspace open now and in the list of
    /// this browser's workspaces.
    fn save(&self) -> Result<(), String> {
        let json = serde_json::to_string(self).map_err(|error| error.to_string())?;
        let storage = local_storage().ok_or("this browser does not let Quorum keep data (localStorage)")?;
        let refused =
            |_| "this browser refused to keep the membership (localStorage is full or blocked)".to_owned();
        // Read before the open one is replaced: a browser from before the list keeps only that.
        let list = Memberships::load().with(self.clone());
        storage.set_item(KEY, &json).map_err(refused)?;
        list.save()
    }
}

/// Every workspace this browser belongs to, in the order it joined or created them: a list a
/// person scans should not reorder itself each time they open one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Memberships(Vec<Membership>);

impl Memberships {
    /// The list as kept in localStorage, with the open workspace in it even if it was kept
    /// before there was a list (a browser that joined one workspace with an older version).
    pub fn load() -> Self {
        let stored = local_storage().and_then(|s| s.get_item(LIST_KEY).ok().flatten()).unwrap_or_default();
        let list = Self::from_json(&stored);
        match Membership::load() {
            Some(current) if list.get(&current.workspace_id).is_none() => list.with(current),
            _ => list,
        }
    }

    /// Reads a kept list. Entries that cannot be read are skipped and an unreadable list is
    /// empty: the person loses a line on the home page, not the page.
    pub fn from_json(json: &str) -> Self {
        let entries: Vec<serde_json::Value> = serde_json::from_str(json).unwrap_or_default();
        let list = entries.into_iter().filter_map(|entry| serde_json::from_value::<Membership>(entry).ok());
        list.fold(Self::default(), Self::with)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_else(|_| "[]".to_owned())
    }

    /// The list with `membership` in it: in place of one for the same workspace (joining it
    /// again gives a new member id, role and token), otherwise last.
    pub fn with(mut self, membership: Membership) -> Self {
        match self.0.iter_mut().find(|kept| kept.workspace_id == membership.workspace_id) {
            Some(kept) => *kept = membership,
            None => self.0.push(membership),
        }
        self
    }

    /// The list without the workspace `workspace_id`.
    pub fn without(mut self, workspace_id: &str) -> Self {
        self.0.retain(|kept| kept.workspace_id != workspace_id);
        self
    }

    pub fn get(&self, workspace_id: &str) -> Option<&Membership> {
        self.0.iter().find(|kept| kept.workspace_id == workspace_id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Membership> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Keeps the list for the next visit.
    pub fn save(&self) -> Result<(), String> {
        let storage = local_storage().ok_or("this browser does not let Quorum keep data (localStorage)")?;
        storage.set_item(LIST_KEY, &self.to_json()).map_err(|_| {
            "this browser refused to keep the list of workspaces (localStorage is full or blocked)".to_owned()
        })
    }
}

/// This browser's storage id, made once and kept: the relay uses it to know which heads this
/// browser has stored, and it is the device id the root document lists under the member.
pub fn storage_id() -> String {
    const STORAGE_ID: &str = "quorum.storage-id";
    let storage = local_storage();
    if let Some(id) = storage.as_ref().and_then(|s| s.get_item(STORAGE_ID).ok().flatten()) {
        return id;
    }
    let id = random_hex();
    if let Some(storage) = storage {
        // Losing it only costs a full sync on the next visit.
        let _ = storage.set_item(STORAGE_ID, &id);
    }
    id
}

/// 16 random bytes in hex, from the browser's crypto.
pub fn random_hex() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the browser provides random bytes");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expiring_at(expires_at: u64) -> Membership {
        Membership {
            workspace_id: "w".into(),
            workspace_name: "Acme AIMS".into(),
            root_document_url: "automerge:root".into(),
            member_id: "m".into(),
            role: quorum_shared::model::Role::Editor,
            token: "q1.claims.signature".into(),
            expires_at,
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_token_is_refreshed_within_a_month_of_its_expiry_or_after_it() {
        let now = 1_800_000_000;
        let day = 24 * 3600;
        assert!(!expiring_at(now + 90 * day).needs_refresh(now), "a fresh token is kept");
        assert!(!expiring_at(now + 31 * day).needs_refresh(now));
        assert!(expiring_at(now + 30 * day).needs_refresh(now));
        assert!(expiring_at(now + 1).needs_refresh(now));
        assert!(expiring_at(now - day).needs_refresh(now), "an expired one is tried, and refused");
    }
}
