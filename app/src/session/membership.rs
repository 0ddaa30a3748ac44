//! This browser's membership of its workspace, as the relay issued it, kept in localStorage so
//! that a reload (or a visit with no network) reopens the same workspace.

use serde::{Deserialize, Serialize};

/// The localStorage key; tests read the token from it to invite a second browser.
pub const KEY: &str = "quorum.membership";

/// A member's credentials, exactly as `POST /api/workspaces` and `POST /api/invites/accept`
/// return them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub workspace_id: String,
    pub workspace_name: String,
    /// `automerge:<id>` of the workspace root document.
    pub root_document_url: String,
    pub member_id: String,
    pub role: String,
    pub token: String,
    pub expires_at: u64,
}

impl Membership {
    /// The root document's id, without the `automerge:` scheme.
    pub fn root_id(&self) -> &str {
        self.root_document_url.strip_prefix("automerge:").unwrap_or(&self.root_document_url)
    }

    /// The membership this browser kept, if any. One that cannot be read is ignored: the person
    /// can join or create again, which is better than a page that never opens.
    pub fn load() -> Option<Self> {
        let stored = local_storage()?.get_item(KEY).ok()??;
        serde_json::from_str(&stored).ok()
    }

    /// Keeps the name the person gave when creating or joining (the relay's answer does not
    /// carry it), so that the root document can list this device under it.
    pub fn remember_name(&self, name: &str) {
        if let Some(storage) = local_storage() {
            // Lost, it only means the root document does not list this device yet.
            let _ = storage.set_item(&self.name_key(), name);
        }
    }

    /// The name [`Membership::remember_name`] kept, if any.
    pub fn member_name(&self) -> Option<String> {
        let name = local_storage()?.get_item(&self.name_key()).ok()??;
        Some(name).filter(|name| !name.trim().is_empty())
    }

    fn name_key(&self) -> String {
        format!("quorum.member-name.{}", self.workspace_id)
    }

    /// Keeps the membership for the next visit.
    pub fn save(&self) -> Result<(), String> {
        let json = serde_json::to_string(self).map_err(|error| error.to_string())?;
        let storage = local_storage().ok_or("this browser does not let Quorum keep data (localStorage)")?;
        storage.set_item(KEY, &json).map_err(|_| {
            "this browser refused to keep the membership (localStorage is full or blocked)".to_owned()
        })
    }
}

/// This browser's storage id, made once and kept: the relay uses it to know which heads this
/// browser has stored.
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
