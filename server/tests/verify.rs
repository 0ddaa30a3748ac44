//! `quorum verify`: the command line checks a pack made by `quorum_shared::pack`, with no
//! network, and exits 0 when it holds, 1 naming what was changed, 2 when it is not a pack.

use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::process::Command;

use quorum_shared::model::{self, DocumentId, DocumentKind};
use quorum_shared::pack::{PackBuilder, PackMeta};

/// A pack of a workspace with a policy.
fn pack() -> Vec<u8> {
    let mut root = model::new_document();
    let device = root.get_actor().clone();
    model::create_workspace(&mut root, 1_700_000_000_000, [1; 16], "Acme AI", "Ada", &device).unwrap();
    let policy_id = DocumentId::from_bytes([2; 16]);
    model::register_document(&mut root, 1_700_000_001_000, policy_id, DocumentKind::Policy, "AI policy")
        .unwrap();
    let mut policy = model::new_document();
    model::create_policy(&mut policy, 1_700_000_002_000, "AI policy", "We review every model.").unwrap();
    let meta = PackMeta {
        workspace_id: "w1".into(),
        generated_at_ms: 1_700_000_100_000,
        as_of_ms: None,
        keys: vec![],
    };
    let mut builder = PackBuilder::new(meta, "root", &root.save()).unwrap();
    builder.add_document(&policy_id, &policy.save()).unwrap();
    builder.finish().unwrap()
}

fn verify(path: &Path) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_quorum")).arg("verify").arg(path).output().unwrap();
    let text =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.code().unwrap_or(-1), text)
}

/// The pack with one byte of `path` changed, the archive otherwise as it was.
fn with_byte_changed(pack: &[u8], target: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(pack)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if name == target {
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0x20;
        }
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn a_good_pack_holds_a_changed_one_names_the_file_and_a_stranger_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("pack.zip");
    std::fs::write(&good, pack()).unwrap();
    let (code, text) = verify(&good);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("The pack holds"), "{text}");
    assert!(text.contains("Acme AI"), "{text}");

    let changed = dir.path().join("changed.zip");
    std::fs::write(&changed, with_byte_changed(&pack(), "registers/soa.csv")).unwrap();
    let (code, text) = verify(&changed);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("registers/soa.csv was changed"), "{text}");
    assert!(text.contains("does NOT hold"), "{text}");

    let stranger = dir.path().join("notes.txt");
    std::fs::write(&stranger, "meeting notes").unwrap();
    let (code, text) = verify(&stranger);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("not a ZIP archive"), "{text}");

    let (code, text) = verify(&dir.path().join("missing.zip"));
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("cannot read"), "{text}");
}
