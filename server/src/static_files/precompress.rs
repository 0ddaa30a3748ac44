//! `quorum precompress DIR`: writes a brotli and a gzip copy beside each of the built app's
//! content-hashed assets, at the strongest settings, which the server then sends as they are.
//!
//! Why: compressing on the fly must be quick, so it is light. The shipped wasm went out as
//! 1,213,520 bytes of brotli where the strongest setting makes 940,666. A hashed file never
//! changes, so compressing it once when the app is built costs nothing per request; files
//! without a hash (index.html, the service worker) stay compressed on the fly, as they change
//! with every build.

use std::{
    io::Write,
    path::{Path, PathBuf},
};

use anyhow::Context;
use serde::Serialize;

/// Brotli's strongest quality and largest window: slow to make, quick to unpack.
const BROTLI_QUALITY: u32 = 11;
const BROTLI_WINDOW: u32 = 24;
/// Files smaller than this gain too little to be worth a copy.
const SMALLEST: u64 = 1024;

/// What was written for one asset.
#[derive(Debug, Serialize)]
pub struct Compressed {
    pub file: String,
    pub raw: u64,
    pub brotli: u64,
    pub gzip: u64,
}

/// Compresses every hashed asset of `dir` (and of its folders: the split app's is one) that is at
/// least [`SMALLEST`] bytes.
pub fn precompress(dir: &Path) -> anyhow::Result<Vec<Compressed>> {
    let mut written = Vec::new();
    compress_folder(dir, "", &mut written)?;
    Ok(written)
}

/// `prefix` is the folder's path below the app's root, as the browser asks for it.
fn compress_folder(dir: &Path, prefix: &str, written: &mut Vec<Compressed>) -> anyhow::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    quorum_shared::order::sort(&mut entries);
    for path in entries {
        let name = format!("{prefix}{}", path.file_name().and_then(|n| n.to_str()).unwrap_or_default());
        if path.is_dir() {
            compress_folder(&path, &format!("{name}/"), written)?;
            continue;
        }
        let compressible = matches!(path.extension().and_then(|e| e.to_str()), Some("wasm" | "js" | "css"));
        if !compressible || !super::is_hashed(&name) || std::fs::metadata(&path)?.len() < SMALLEST {
            continue;
        }
        let data = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let brotli = brotli(&data)?;
        let gzip = gzip(&data)?;
        std::fs::write(with_suffix(&path, "br"), &brotli)?;
        std::fs::write(with_suffix(&path, "gz"), &gzip)?;
        written.push(Compressed {
            file: name,
            raw: data.len() as u64,
            brotli: brotli.len() as u64,
            gzip: gzip.len() as u64,
        });
    }
    Ok(())
}

fn brotli(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, BROTLI_QUALITY, BROTLI_WINDOW);
    writer.write_all(data)?;
    drop(writer);
    Ok(out)
}

fn gzip(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data)?;
    encoder.finish()
}

/// `name.wasm` -> `name.wasm.br`: the names `ServeDir` looks for.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}
