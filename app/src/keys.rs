//! This device's signing key: an Ed25519 key pair made by the browser's WebCrypto, the private
//! key not extractable, kept in its own IndexedDB database (`quorum-device`) so that every
//! workspace on this device signs with it and it outlives any one workspace's storage. The relay
//! certifies its public key as the member's (`session::register_key`); approvals are signed with
//! it and verified by `quorum_shared::model::signature`.
//!
//! ```ignore
//! let signer = keys::device_signer().await?;
//! let signature = signer.sign(&claim.payload()).await?;   // 64 bytes
//! ```

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect, Uint8Array};
use quorum_shared::model::signature::{hex, key_id};
use rexie::{ObjectStore, Rexie, TransactionMode};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::CryptoKey;

const DATABASE: &str = "quorum-device";
const STORE: &str = "keys";
/// The one record of the store: the key pair approvals are signed with.
const SIGNING: &str = "signing";

/// The device's key pair, loaded once per page.
#[derive(Clone)]
pub struct DeviceSigner {
    private: CryptoKey,
    /// The raw 32-byte public key, hex, as the relay certifies it.
    pub public_key: String,
    pub key_id: String,
}

thread_local! {
    static SIGNER: RefCell<Option<Rc<DeviceSigner>>> = const { RefCell::new(None) };
}

/// The device's signing key, made and stored on first use. The error says, for a person, why
/// this browser cannot sign.
pub async fn device_signer() -> Result<Rc<DeviceSigner>, String> {
    if let Some(signer) = SIGNER.with(|s| s.borrow().clone()) {
        return Ok(signer);
    }
    let signer = Rc::new(
        load_or_make()
            .await
            .map_err(|error| format!("This browser cannot sign approvals ({}).", describe(&error)))?,
    );
    SIGNER.with(|s| *s.borrow_mut() = Some(signer.clone()));
    Ok(signer)
}

impl DeviceSigner {
    /// The Ed25519 signature of `payload`, 64 bytes.
    pub async fn sign(&self, payload: &[u8]) -> Result<Vec<u8>, String> {
        let subtle = subtle().map_err(|e| describe(&e))?;
        let promise = subtle
            .sign_with_str_and_u8_array("Ed25519", &self.private, payload)
            .map_err(|e| format!("the signature could not be made: {}", describe(&e)))?;
        let signature = JsFuture::from(promise)
            .await
            .map_err(|e| format!("the signature could not be made: {}", describe(&e)))?;
        Ok(Uint8Array::new(&signature).to_vec())
    }
}

async fn load_or_make() -> Result<DeviceSigner, JsValue> {
    let db = Rexie::builder(DATABASE)
        .version(1)
        .add_object_store(ObjectStore::new(STORE))
        .build()
        .await
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    let stored = {
        let transaction = db.transaction(&[STORE], TransactionMode::ReadOnly).map_err(rexie_error)?;
        let store = transaction.store(STORE).map_err(rexie_error)?;
        store.get(JsValue::from_str(SIGNING)).await.map_err(rexie_error)?
    };
    let pair = match stored.filter(|value| !value.is_undefined() && !value.is_null()) {
        Some(pair) => pair,
        None => {
            let pair = generate().await?;
            let transaction = db.transaction(&[STORE], TransactionMode::ReadWrite).map_err(rexie_error)?;
            let store = transaction.store(STORE).map_err(rexie_error)?;
            store.put(&pair, Some(&JsValue::from_str(SIGNING))).await.map_err(rexie_error)?;
            transaction.done().await.map_err(rexie_error)?;
            pair
        }
    };
    db.close();
    let private: CryptoKey = Reflect::get(&pair, &"privateKey".into())?.dyn_into()?;
    let public: CryptoKey = Reflect::get(&pair, &"publicKey".into())?.dyn_into()?;
    let raw = JsFuture::from(subtle()?.export_key("raw", &public)?).await?;
    let public_key = hex(&Uint8Array::new(&raw).to_vec());
    Ok(DeviceSigner { private, key_id: key_id(&public_key), public_key })
}

/// A new Ed25519 key pair whose private key cannot be exported, as a plain object of its two
/// keys (which IndexedDB stores as they are).
async fn generate() -> Result<JsValue, JsValue> {
    let usages = Array::of2(&"sign".into(), &"verify".into());
    let pair = JsFuture::from(subtle()?.generate_key_with_str("Ed25519", false, &usages)?).await?;
    let record = Object::new();
    Reflect::set(&record, &"privateKey".into(), &Reflect::get(&pair, &"privateKey".into())?)?;
    Reflect::set(&record, &"publicKey".into(), &Reflect::get(&pair, &"publicKey".into())?)?;
    Ok(record.into())
}

fn subtle() -> Result<web_sys::SubtleCrypto, JsValue> {
    let crypto = web_sys::window().ok_or("no window")?.crypto()?;
    Ok(crypto.subtle())
}

fn rexie_error(error: rexie::Error) -> JsValue {
    JsValue::from_str(&error.to_string())
}

/// A browser error's message, for a person.
fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "an unknown error".to_owned())
}
