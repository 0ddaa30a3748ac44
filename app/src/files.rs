//! Files in and out of the browser: bytes handed to the person as a download, and the bytes of
//! a file they chose or dropped. Nothing leaves the machine: a download is a blob URL.

use js_sys::{Array, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A blob URL for `bytes` as a file of `mime` type; revoke it when it is no longer offered.
pub fn object_url(bytes: &[u8], mime: &str) -> Result<String, String> {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser cannot hold the file".to_owned())?;
    web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser cannot offer the file".to_owned())
}

/// Gives the file at `url` to the person, as if they clicked a download link named `name`.
pub fn download(url: &str, name: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(link) = document.create_element("a") else { return };
    let Ok(link) = link.dyn_into::<web_sys::HtmlAnchorElement>() else { return };
    link.set_href(url);
    link.set_download(name);
    link.click();
}

/// Stops offering the file at `url`.
pub fn revoke(url: &str) {
    let _ = web_sys::Url::revoke_object_url(url);
}

/// The bytes of a file the person chose or dropped.
pub async fn read(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer =
        JsFuture::from(file.array_buffer()).await.map_err(|_| format!("cannot read {}", file.name()))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}
