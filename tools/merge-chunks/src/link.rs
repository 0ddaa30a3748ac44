//! The splitter's loader script (`__wasm_split.js`): read into what each split point and each
//! shared chunk loads, and written again with some chunks joined into a split point's module.
//!
//! The script starts with the shared runtime (`makeLoad`, `wrapAsyncCb`, the main module's
//! exports), kept as it is; then one statement per chunk and one exported loader per split
//! point, which are written here:
//!
//! ```text
//! /* audits, risks */
//! const __chunk_3 = makeLoad(() => { … fetch(new URL("./chunk_3.wasm", import.meta.url)) … }, []);
//! export const __wasm_split_load_risks = wrapAsyncCb(makeLoad(() => { … "./split_risks.wasm" … }, [__chunk_3]));
//! ```

use std::collections::BTreeSet;

/// Why the loader script could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("the loader script has no loaders: is it wasm-split-cli's?")]
    NoLoaders,
    #[error("the loader script's statement {0:?} is not one wasm-split-cli 0.2.3 writes")]
    Unknown(String),
    #[error("the loader script has no split point {0:?}")]
    NoSplit(String),
}

/// A chunk of code several split points share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    /// Its variable, `__chunk_3`.
    pub var: String,
    /// The split points that use it.
    pub users: BTreeSet<String>,
    /// Its file, none when it is empty.
    pub file: Option<String>,
}

/// A split point's loader.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    pub name: String,
    pub file: Option<String>,
    /// The variables of the chunks it needs first.
    pub deps: Vec<String>,
}

/// The loader script, read.
#[derive(Debug)]
pub struct Loaders {
    runtime: String,
    pub chunks: Vec<Chunk>,
    pub splits: Vec<Split>,
    /// The files made of joined chunks.
    joined: Vec<Joined>,
}

/// A file of joined chunks, and the chunks' variables that now mean it.
#[derive(Debug)]
struct Joined {
    var: String,
    file: String,
    /// What it needs loaded first: the chunks left that its split point uses.
    deps: Vec<String>,
    chunks: Vec<String>,
    /// The split point whose file it is, if any.
    split: Option<String>,
}

const SPLIT_EXPORT: &str = "export const __wasm_split_load_";

impl Loaders {
    pub fn read(script: &str) -> Result<Self, LinkError> {
        let starts_loader = |line: &str| {
            line.starts_with("/* ") || line.starts_with("const __chunk_") || line.starts_with(SPLIT_EXPORT)
        };
        let mut lines = script.split_inclusive('\n').peekable();
        let mut runtime = String::new();
        while let Some(line) = lines.next_if(|line| !starts_loader(line)) {
            runtime.push_str(line);
        }
        // The statements, each from a line that starts one to the next.
        let mut statements: Vec<String> = Vec::new();
        for line in lines {
            if starts_loader(line) || statements.is_empty() {
                statements.push(String::new());
            }
            if let Some(statement) = statements.last_mut() {
                statement.push_str(line);
            }
        }
        if statements.is_empty() {
            return Err(LinkError::NoLoaders);
        }
        let mut loaders = Loaders { runtime, chunks: Vec::new(), splits: Vec::new(), joined: Vec::new() };
        let mut users = BTreeSet::new();
        for statement in statements {
            let unknown = || LinkError::Unknown(statement.trim().chars().take(120).collect());
            if let Some(names) = statement.strip_prefix("/* ") {
                let names = names.trim_end().strip_suffix("*/").ok_or_else(unknown)?;
                users = names.split(',').map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()).collect();
            } else if let Some(rest) = statement.strip_prefix("const ") {
                if !statement.trim_end().ends_with(", []);") {
                    return Err(unknown());
                }
                let var = rest.split(' ').next().ok_or_else(unknown)?.to_owned();
                let file = file_of(&statement);
                loaders.chunks.push(Chunk { var, users: std::mem::take(&mut users), file });
            } else if let Some(rest) = statement.strip_prefix(SPLIT_EXPORT) {
                if !statement.trim_end().ends_with("]));") {
                    return Err(unknown());
                }
                let name = rest.split(' ').next().ok_or_else(unknown)?.to_owned();
                let deps =
                    statement.rsplit_once('[').and_then(|(_, d)| d.split_once(']')).ok_or_else(unknown)?.0;
                let deps =
                    deps.split(',').map(str::trim).filter(|d| !d.is_empty()).map(str::to_owned).collect();
                loaders.splits.push(Split { name, file: file_of(&statement), deps });
            } else {
                return Err(unknown());
            }
        }
        Ok(loaders)
    }

    /// Joins into split point `into` every chunk it uses, so that loading it is one file. The
    /// files whose code is to be joined, its own first; its file is then the joined one.
    pub fn join(&mut self, into: &str) -> Result<Vec<String>, LinkError> {
        let split = self
            .splits
            .iter_mut()
            .find(|s| s.name == into)
            .ok_or_else(|| LinkError::NoSplit(into.to_owned()))?;
        let file = split.file.get_or_insert_with(|| format!("./split_{into}.wasm")).clone();
        let (joined, left): (Vec<Chunk>, Vec<Chunk>) =
            std::mem::take(&mut self.chunks).into_iter().partition(|c| c.users.contains(into));
        self.chunks = left;
        split.deps.retain(|d| !joined.iter().any(|c| &c.var == d));
        let mut files = vec![file.clone()];
        files.extend(joined.iter().filter_map(|c| c.file.clone()));
        self.joined.push(Joined {
            var: format!("__joined_{into}"),
            file,
            deps: split.deps.clone(),
            chunks: joined.into_iter().map(|c| c.var).collect(),
            split: Some(into.to_owned()),
        });
        Ok(files)
    }

    /// Joins every chunk left into one file `./{name}.wasm`; the files to be joined.
    pub fn join_rest(&mut self, name: &str) -> Vec<String> {
        let left = std::mem::take(&mut self.chunks);
        let files = left.iter().filter_map(|c| c.file.clone()).collect();
        if !left.is_empty() {
            self.joined.push(Joined {
                var: format!("__joined_{name}"),
                file: format!("./{name}.wasm"),
                deps: Vec::new(),
                chunks: left.into_iter().map(|c| c.var).collect(),
                split: None,
            });
        }
        files
    }

    /// The script again, with the joined chunks loaded by loading their file.
    pub fn write(&self) -> String {
        let mut script = self.runtime.clone();
        script.push_str(
            "// Loaders written by tools/merge-chunks: chunks joined into fewer files.\n\
             function fetched(file) {\n    return () => {\n        const src = fetch(new URL(file, import.meta.url));\n        \
             return async (imports) => WebAssembly.instantiateStreaming(src, imports);\n    };\n}\n\
             const nothing = () => async (_imports) => ({});\n",
        );
        let fetcher = |file: &Option<String>| {
            file.as_ref().map_or("nothing".to_owned(), |f| format!("fetched(\"{f}\")"))
        };
        for chunk in &self.chunks {
            let users = chunk.users.iter().cloned().collect::<Vec<_>>().join(", ");
            script.push_str(&format!(
                "/* {users} */\nconst {} = makeLoad({}, []);\n",
                chunk.var,
                fetcher(&chunk.file)
            ));
        }
        for joined in &self.joined {
            let (var, file, deps) = (&joined.var, &joined.file, joined.deps.join(", "));
            script.push_str(&format!("const {var} = makeLoad(fetched(\"{file}\"), [{deps}]);\n"));
            for chunk in &joined.chunks {
                script.push_str(&format!("const {chunk} = {var};\n"));
            }
        }
        for split in &self.splits {
            let load = match self.joined.iter().find(|j| j.split.as_ref() == Some(&split.name)) {
                Some(joined) => joined.var.clone(),
                None => format!("makeLoad({}, [{}])", fetcher(&split.file), split.deps.join(", ")),
            };
            script.push_str(&format!("{SPLIT_EXPORT}{} = wrapAsyncCb({load});\n", split.name));
        }
        script
    }
}

/// The file a loader fetches: what follows `new URL("`, up to the quote.
fn file_of(statement: &str) -> Option<String> {
    let (_, rest) = statement.split_once("new URL(\"")?;
    Some(rest.split_once('"')?.0.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCRIPT: &str = r#"import { initSync } from "./main.js";
function makeLoad(fetcher, deps) { return fetcher; }
/* risks, workspace */
const __chunk_0 = makeLoad(() => {
    const src = fetch(new URL("./chunk_0.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, []);
/* audits, risks */
const __chunk_1 = makeLoad(() => {
    const src = fetch(new URL("./chunk_1.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, []);
/* audits, workspace */
const __chunk_2 = makeLoad(() => async (_imp) => ({}), []);
export const __wasm_split_load_workspace = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_workspace.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, [__chunk_0, __chunk_2]));
export const __wasm_split_load_risks = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_risks.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, [__chunk_0, __chunk_1]));
export const __wasm_split_load_audits = wrapAsyncCb(makeLoad(() => async (_imp) => ({}), [__chunk_1, __chunk_2]));
"#;

    #[test]
    fn reads_the_chunks_and_split_points() {
        let loaders = Loaders::read(SCRIPT).unwrap();
        assert!(loaders.runtime.ends_with("return fetcher; }\n"));
        assert_eq!(loaders.chunks.len(), 3);
        assert_eq!(loaders.chunks[0].users, BTreeSet::from(["risks".to_owned(), "workspace".to_owned()]));
        assert_eq!(loaders.chunks[1].file.as_deref(), Some("./chunk_1.wasm"));
        assert_eq!(loaders.chunks[2].file, None);
        let audits = &loaders.splits[2];
        assert_eq!((audits.name.as_str(), audits.file.as_deref()), ("audits", None));
        assert_eq!(audits.deps, ["__chunk_1", "__chunk_2"]);
    }

    #[test]
    fn joins_what_a_split_point_uses_into_its_file() {
        let mut loaders = Loaders::read(SCRIPT).unwrap();
        let files = loaders.join("workspace").unwrap();
        assert_eq!(files, ["./split_workspace.wasm", "./chunk_0.wasm"]);
        let script = loaders.write();
        assert!(
            script.contains("const __joined_workspace = makeLoad(fetched(\"./split_workspace.wasm\"), []);")
        );
        assert!(
            script.contains("const __chunk_0 = __joined_workspace;\nconst __chunk_2 = __joined_workspace;")
        );
        assert!(script.contains("const __chunk_1 = makeLoad(fetched(\"./chunk_1.wasm\"), []);"));
        assert!(!script.contains("chunk_0.wasm"));
        assert!(script.contains("__wasm_split_load_workspace = wrapAsyncCb(__joined_workspace);"));
        assert!(script.contains(
            "__wasm_split_load_risks = wrapAsyncCb(makeLoad(fetched(\"./split_risks.wasm\"), [__chunk_0, __chunk_1]));"
        ));
        // Every variable is defined before a statement uses it.
        let joined_at = script.find("const __joined_workspace").unwrap();
        assert!(script.find("const __chunk_0 =").unwrap() > joined_at);
        assert!(script.find("__wasm_split_load_risks").unwrap() > script.find("const __chunk_2 =").unwrap());
    }

    #[test]
    fn joins_the_chunks_left_into_one_file() {
        let mut loaders = Loaders::read(SCRIPT).unwrap();
        loaders.join("workspace").unwrap();
        assert_eq!(loaders.join_rest("shared"), ["./chunk_1.wasm"]);
        let script = loaders.write();
        assert!(script.contains("const __joined_shared = makeLoad(fetched(\"./shared.wasm\"), []);\nconst __chunk_1 = __joined_shared;"));
        assert!(!script.contains("chunk_1.wasm"));
        assert!(
            script.contains(
                "__wasm_split_load_audits = wrapAsyncCb(makeLoad(nothing, [__chunk_1, __chunk_2]));"
            )
        );
        assert!(loaders.join_rest("again").is_empty(), "nothing is left to join");
    }

    #[test]
    fn refuses_what_it_does_not_know() {
        assert!(matches!(Loaders::read("import x from \"./main.js\";\n"), Err(LinkError::NoLoaders)));
        let odd = format!("{SCRIPT}let surprise = 1;\n");
        assert!(matches!(Loaders::read(&odd), Err(LinkError::Unknown(_))));
        assert!(matches!(Loaders::read(SCRIPT).unwrap().join("nowhere"), Err(LinkError::NoSplit(_))));
    }
}
