//! `merge-chunks DIR SPLIT`: in wasm-split-cli's output folder DIR, joins into split point
//! SPLIT's module every chunk of code it shares with other split points, and every other chunk
//! into one file `shared.wasm`, and rewrites the loader script to match.
//!
//! The splitter puts the code used by several split points (and not by the main module) in one
//! chunk per set of split points that use it. When one split point is the runtime all the others
//! build on (the open workspace, see `app/src/chunks.rs`), that is hundreds of small files
//! fetched before the runtime can start. Everything the runtime uses must be loaded with it
//! anyway, so those chunks are joined into its file: one request, and what the pages share with
//! it is there when they open. What the pages share among themselves is one more file, fetched
//! with the first page opened: a page is then at most three requests, two of them made once.

mod link;
mod merge;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error("usage: merge-chunks DIR SPLIT (DIR: wasm-split-cli's output; SPLIT: a split point's name)")]
    Usage,
    #[error("{path}: {source}")]
    File { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Link(#[from] link::LinkError),
    #[error(transparent)]
    Merge(#[from] merge::MergeError),
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let run = match args.as_slice() {
        [dir, split] => run(Path::new(dir), split),
        _ => Err(Failure::Usage),
    };
    match run {
        Ok(said) => {
            println!("{said}");
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("merge-chunks: {failure}");
            ExitCode::FAILURE
        }
    }
}

fn run(dir: &Path, split: &str) -> Result<String, Failure> {
    let script_path = dir.join("__wasm_split.js");
    let script = String::from_utf8_lossy(&read(&script_path)?).into_owned();
    let mut loaders = link::Loaders::read(&script)?;
    let into_split = loaders.join(split)?;
    let into_shared = loaders.join_rest(SHARED);
    let mut said = Vec::new();
    let shared = format!("./{SHARED}.wasm");
    for (into, files) in [(into_split[0].clone(), &into_split[..]), (shared, &into_shared[..])] {
        if files.is_empty() {
            continue;
        }
        let paths: Vec<PathBuf> = files.iter().map(|f| dir.join(f.trim_start_matches("./"))).collect();
        // A split point with no code of its own has no file of its own.
        let modules = paths.iter().filter(|p| p.exists()).map(read).collect::<Result<Vec<_>, _>>()?;
        let joined = merge::merge(&modules.iter().map(Vec::as_slice).collect::<Vec<_>>())?;
        for path in &paths {
            if path.exists() {
                std::fs::remove_file(path).map_err(|source| Failure::File { path: path.clone(), source })?;
            }
        }
        write(&dir.join(into.trim_start_matches("./")), &joined)?;
        said.push(format!("{} files into {into} ({} bytes)", modules.len(), joined.len()));
    }
    write(&script_path, loaders.write().as_bytes())?;
    Ok(format!("joined {}", said.join(", ")))
}

/// The file of the chunks the split point does not use, which other split points share.
const SHARED: &str = "shared";

fn read(path: impl AsRef<Path>) -> Result<Vec<u8>, Failure> {
    std::fs::read(path.as_ref()).map_err(|source| Failure::File { path: path.as_ref().to_owned(), source })
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes).map_err(|source| Failure::File { path: path.to_owned(), source })
}
