//! The audit pack: what it holds, that a good pack verifies, that each kind of tampering and
//! each unreadable file is named, that registers read back the same from CSV and XLSX, and that
//! a pack as of a past moment shows the workspace as it was.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

use automerge::AutoCommit;
use ed25519_dalek::{Signer, SigningKey};

use super::*;
use crate::api::CertifiedKey;
use crate::model::signature::{ApprovalSignature, hex};
use crate::model::{
    self, AiSystem, DocumentId, DocumentKind, ImplementationStatus, Position, Risk, Role, Signed,
    testing::random,
};

const T0: i64 = 1_760_000_000_000;
const MINUTE: i64 = 60_000;

/// A small workspace: Ada (owner) approved policy version 1 with her device key; a risk, an AI
/// system and an SoA with one control implemented; the policy text changed after approval.
struct Workspace {
    root_id: DocumentId,
    root: AutoCommit,
    docs: Vec<(DocumentId, AutoCommit)>,
    keys: Vec<CertifiedKey>,
}

fn workspace() -> Workspace {
    let mut root = model::new_document();
    let device = root.get_actor().clone();
    let ada = model::create_workspace(&mut root, T0, random(), "Acme AI", "Ada Lovelace", &device).unwrap();
    let mut docs = Vec::new();
    let mut add = |root: &mut AutoCommit, kind: DocumentKind, title: &str, n: u8, doc: AutoCommit| {
        let id = DocumentId::from_bytes([n; 16]);
        model::register_document(root, T0 + MINUTE, id, kind, title).unwrap();
        docs.push((id, doc));
        id
    };

    let mut policy = model::new_document();
    policy.set_actor(device.clone());
    model::create_policy(&mut policy, T0 + MINUTE, "AI policy", "We review every model before use.").unwrap();
    let version = model::propose_policy_version(&mut policy, T0 + 2 * MINUTE, random(), ada, "v1").unwrap();
    let policy_id = DocumentId::from_bytes([2; 16]);
    let heads = model::AiPolicy::load(&policy).unwrap().versions[&version].heads.clone();
    let key = SigningKey::from_bytes(&[7; 32]);
    let at = T0 + 3 * MINUTE;
    let subject = model::policy_version_subject(version);
    let claim = model::claim(&policy_id.to_string(), subject, ada, Role::Owner, at, heads.clone());
    let public = hex(key.verifying_key().as_bytes());
    let key_id = crate::model::signature::key_id(&public);
    let signature = ApprovalSignature::new(&key_id, &claim, &key.sign(&claim.payload()).to_bytes());
    model::approve_policy_version(&mut policy, at, ada, version, "", Some(Signed { heads, signature }))
        .unwrap();
    model::edit_policy_text(
        &mut policy,
        T0 + 10 * MINUTE,
        "We review every model before and after use.".into(),
    )
    .unwrap();
    add(&mut root, DocumentKind::Policy, "AI policy", 2, policy);

    let mut risks = model::new_document();
    model::create_risk_register(&mut risks, T0 + MINUTE).unwrap();
    let risk = Risk {
        title: "Biased screening".into(),
        likelihood: Some(3),
        consequence: Some(4),
        owner: Some(ada),
        ..Default::default()
    };
    model::add(&mut risks, T0 + 4 * MINUTE, random(), risk, Position::Last).unwrap();
    add(&mut root, DocumentKind::RiskRegister, "AI risk register", 3, risks);

    let mut soa = model::new_document();
    model::create_soa(&mut soa, T0 + MINUTE).unwrap();
    let control = "A.6.2.4".parse().unwrap();
    model::set_implementation_status(&mut soa, T0 + 5 * MINUTE, control, ImplementationStatus::Implemented)
        .unwrap();
    add(&mut root, DocumentKind::StatementOfApplicability, "Statement of Applicability", 4, soa);

    let mut inventory = model::new_document();
    model::create_inventory(&mut inventory, T0 + 20 * MINUTE).unwrap();
    let system = AiSystem { name: "CV screener, \"v2\"".into(), ..Default::default() };
    model::add(&mut inventory, T0 + 21 * MINUTE, random(), system, Position::Last).unwrap();
    add(&mut root, DocumentKind::Inventory, "AI system inventory", 5, inventory);

    let keys = vec![CertifiedKey {
        key_id,
        member_id: ada.to_string(),
        device: device.to_hex_string(),
        public_key: public,
        registered_at: 1_760_000_000,
    }];
    Workspace { root_id: DocumentId::from_bytes([1; 16]), root, docs, keys }
}

fn build(w: &mut Workspace, as_of_ms: Option<i64>) -> Vec<u8> {
    let meta = PackMeta {
        workspace_id: "w-acme".into(),
        generated_at_ms: T0 + 60 * MINUTE,
        as_of_ms,
        keys: w.keys.clone(),
    };
    let mut builder = PackBuilder::new(meta, &w.root_id.to_string(), &w.root.save()).unwrap();
    for (id, doc) in &mut w.docs {
        builder.add_document(id, &doc.save()).unwrap();
    }
    builder.finish().unwrap()
}

fn unzip(pack: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(pack)).unwrap();
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        files.insert(entry.name().unwrap().into_owned(), bytes);
    }
    files
}

fn rezip(files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (path, bytes) in files {
        zip.start_file(path.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The pack with `change` made to its files, and the manifest's hashes brought in line with
/// them when `rehash`, so that only what `change` did is wrong.
fn tampered(pack: &[u8], rehash: bool, change: impl FnOnce(&mut BTreeMap<String, Vec<u8>>)) -> Vec<u8> {
    let mut files = unzip(pack);
    change(&mut files);
    if rehash {
        let mut manifest: Manifest = serde_json::from_slice(&files["manifest.json"]).unwrap();
        for file in &mut manifest.files {
            if let Some(bytes) = files.get(&file.path) {
                file.sha256 = super::build::sha256(bytes);
            }
        }
        files.insert("manifest.json".into(), serde_json::to_vec(&manifest).unwrap());
    }
    rezip(&files)
}

fn text(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(files[path].clone()).unwrap()
}

fn path_of(files: &BTreeMap<String, Vec<u8>>, prefix: &str, ext: &str) -> String {
    files.keys().find(|p| p.starts_with(prefix) && p.ends_with(ext)).cloned().unwrap()
}

#[test]
fn a_pack_holds_the_report_registers_index_history_documents_and_manifest() {
    let mut w = workspace();
    let files = unzip(&build(&mut w, None));
    for path in ["index.html", "evidence-index.csv", "history.csv", "manifest.json"] {
        assert!(files.contains_key(path), "{path} is in the pack");
    }
    for register in [
        "soa",
        "risks",
        "treatment-actions",
        "ai-systems",
        "impact-assessments",
        "objectives",
        "indicators",
        "readings",
        "training-records",
        "documented-information",
        "audits",
        "findings",
        "nonconformities",
        "corrective-actions",
    ] {
        assert!(files.contains_key(&format!("registers/{register}.csv")), "{register}.csv");
        assert!(files.contains_key(&format!("registers/{register}.xlsx")), "{register}.xlsx");
    }
    // The root and each of its four documents, as binary and JSON.
    assert_eq!(files.keys().filter(|p| p.starts_with("documents/") && p.ends_with(".automerge")).count(), 5);
    assert_eq!(files.keys().filter(|p| p.starts_with("documents/") && p.ends_with(".json")).count(), 5);

    let manifest: Manifest = serde_json::from_slice(&files["manifest.json"]).unwrap();
    assert_eq!(manifest.format, FORMAT);
    assert_eq!(manifest.workspace_name, "Acme AI");
    assert_eq!(manifest.files.len(), files.len() - 1, "every file but the manifest is listed");
    for file in &manifest.files {
        assert_eq!(file.sha256, super::build::sha256(&files[&file.path]), "{}", file.path);
    }
    assert_eq!(manifest.keys, w.keys);
    assert_eq!(manifest.approvals.len(), 1);
    assert_eq!(manifest.approvals[0].verdict, "verified");
    assert_eq!(manifest.approvals[0].member_name, "Ada Lovelace");

    let index = text(&files, "index.html");
    assert_eq!(index.matches("<section class=\"artifact\"").count(), 5, "one section per artifact");
    assert!(index.contains("signature verified"));
    assert!(index.contains("@media print"));
    assert!(index.contains("CV screener, &quot;v2&quot;"), "text is escaped in the report");
}

#[test]
fn a_good_pack_verifies_with_its_approval() {
    let mut w = workspace();
    let report = verify_pack(&build(&mut w, None)).unwrap();
    assert!(report.holds(), "{:?}", report.problems);
    assert_eq!(report.documents_checked, 5);
    assert_eq!(report.approvals_verified, 1);
    assert_eq!(report.approvals_unsigned, 0);
}

#[test]
fn one_byte_changed_in_a_register_is_named() {
    let mut w = workspace();
    let pack = tampered(&build(&mut w, None), false, |files| {
        let csv = files.get_mut("registers/soa.csv").unwrap();
        let last = csv.len() - 3;
        csv[last] ^= 1;
    });
    let report = verify_pack(&pack).unwrap();
    assert_eq!(report.problems, vec![Problem::HashMismatch { path: "registers/soa.csv".into() }]);
    assert!(report.problems[0].to_string().contains("registers/soa.csv"));
}

#[test]
fn a_missing_file_and_an_unlisted_one_are_named() {
    let mut w = workspace();
    let pack = tampered(&build(&mut w, None), false, |files| {
        files.remove("history.csv");
        files.insert("extra.txt".into(), b"slipped in".to_vec());
    });
    let report = verify_pack(&pack).unwrap();
    assert_eq!(
        report.problems,
        vec![
            Problem::MissingFile { path: "history.csv".into() },
            Problem::UnlistedFile { path: "extra.txt".into() }
        ]
    );
}

#[test]
fn a_binary_that_is_not_automerge_is_named() {
    let mut w = workspace();
    let pack = build(&mut w, None);
    let binary = path_of(&unzip(&pack), "documents/soa-", ".automerge");
    let bad = binary.clone();
    let pack = tampered(&pack, true, move |files| {
        files.insert(bad, b"not a document".to_vec());
    });
    let report = verify_pack(&pack).unwrap();
    assert!(
        matches!(&report.problems[..], [Problem::NotAutomerge { path, .. }] if *path == binary),
        "{:?}",
        report.problems
    );
}

#[test]
fn a_json_that_disagrees_with_its_binary_is_named() {
    let mut w = workspace();
    let pack = build(&mut w, None);
    let json = path_of(&unzip(&pack), "documents/policy-", ".json");
    let path = json.clone();
    let pack = tampered(&pack, true, move |files| {
        let text = String::from_utf8(files[&path].clone()).unwrap().replace("before and after use", "never");
        files.insert(path, text.into_bytes());
    });
    let report = verify_pack(&pack).unwrap();
    assert_eq!(report.problems, vec![Problem::JsonDisagrees { path: json }]);
}

#[test]
fn a_document_whose_approval_was_rewritten_fails_its_signature() {
    let mut w = workspace();
    // The approval's time moved an hour on, in the document itself: its binary and JSON agree
    // and their hashes are in the manifest, but the signature no longer covers the claim.
    let (_, policy) = &mut w.docs[0];
    let versions = model::AiPolicy::load(policy).unwrap().versions;
    let (version_id, version) = versions.iter().next().unwrap();
    let (member, approval) = version.approvals.iter().next().unwrap();
    let signed = Signed { heads: approval.heads.clone(), signature: approval.signature.clone().unwrap() };
    model::approve_policy_version(
        policy,
        approval.at_ms + 60 * MINUTE,
        *member,
        *version_id,
        "",
        Some(signed),
    )
    .unwrap();
    let report = verify_pack(&build(&mut w, None)).unwrap();
    assert!(
        matches!(&report.problems[..], [Problem::Approval { subject, why, .. }] if subject.starts_with("policy version") && why.contains("signature")),
        "{:?}",
        report.problems
    );
}

#[test]
fn packs_that_cannot_be_read_say_why() {
    let mut w = workspace();
    let pack = build(&mut w, None);
    assert!(matches!(verify_pack(b"plain text, not a zip"), Err(PackError::NotZip(_))));
    assert!(matches!(verify_pack(&pack[..pack.len() / 2]), Err(PackError::NotZip(_))));
    let no_manifest = tampered(&pack, false, |files| {
        files.remove("manifest.json");
    });
    assert_eq!(verify_pack(&no_manifest), Err(PackError::NoManifest));
    let future = tampered(&pack, false, |files| {
        let text =
            String::from_utf8(files["manifest.json"].clone()).unwrap().replace(FORMAT, "quorum-audit-pack/9");
        files.insert("manifest.json".into(), text.into_bytes());
    });
    assert_eq!(verify_pack(&future), Err(PackError::UnknownFormat { found: "quorum-audit-pack/9".into() }));
    let garbled = tampered(&pack, false, |files| {
        files.insert("manifest.json".into(), b"{\"format\": \"quorum-audit-pack/1\"}".to_vec());
    });
    assert!(matches!(verify_pack(&garbled), Err(PackError::BadManifest(_))));
}

#[test]
fn a_pack_that_unpacks_too_large_is_refused_before_it_is_read() {
    // A deflated run of zeros: 600 MiB unpacked from well under a megabyte.
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("zeros.bin", options).unwrap();
    let block = vec![0u8; 1024 * 1024];
    for _ in 0..600 {
        zip.write_all(&block).unwrap();
    }
    let bomb = zip.finish().unwrap().into_inner();
    assert!(bomb.len() < 2 * 1024 * 1024);
    assert_eq!(verify_pack(&bomb), Err(PackError::TooLarge));
}

#[test]
fn a_pack_as_of_a_past_moment_shows_the_workspace_as_it_was() {
    let mut w = workspace();
    // After the approval, before the policy's text changed and before the inventory existed.
    let files = unzip(&build(&mut w, Some(T0 + 6 * MINUTE)));
    let json = text(&files, &path_of(&files, "documents/policy-", ".json"));
    assert!(json.contains("We review every model before use."), "{json}");
    assert!(!json.contains("after use"));
    assert!(!files.keys().any(|p| p.starts_with("documents/inventory-")), "the inventory did not exist yet");
    assert!(text(&files, "index.html").contains("Not yet created at that moment: AI system inventory"));
    let history = text(&files, "history.csv");
    assert!(!history.contains("edit policy text"));
    let manifest: Manifest = serde_json::from_slice(&files["manifest.json"]).unwrap();
    assert_eq!(manifest.as_of_ms, Some(T0 + 6 * MINUTE));
    assert!(verify_pack(&rezip(&files)).unwrap().holds());
}

#[test]
fn history_lists_every_change_of_every_document_with_its_member() {
    let mut w = workspace();
    let files = unzip(&build(&mut w, None));
    let mut reader = csv::Reader::from_reader(&files["history.csv"][..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let changes: usize = w.docs.iter_mut().map(|(_, d)| model::history(d).len()).sum::<usize>()
        + model::history(&mut w.root).len();
    assert_eq!(rows.len(), changes);
    let edit = rows.iter().find(|r| &r[6] == "edit policy text").unwrap();
    assert_eq!(&edit[1], "AI policy");
    assert_eq!(&edit[3], "Ada Lovelace");
    assert!(rows.windows(2).all(|pair| pair[0][0] <= pair[1][0]), "oldest first");
}

#[test]
fn the_evidence_index_maps_clauses_and_every_control_to_files_in_the_pack() {
    let mut w = workspace();
    let files = unzip(&build(&mut w, None));
    let mut reader = csv::Reader::from_reader(&files["evidence-index.csv"][..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let policy = rows.iter().find(|r| &r[0] == "5.2").unwrap();
    assert_eq!(&policy[2], "AI policy");
    assert!(policy[5].contains("Ada Lovelace (signature verified)"));
    assert_eq!(rows.iter().filter(|r| r[0].starts_with("A.")).count(), 38);
    for row in &rows {
        let file = row[6].split("; ").next().unwrap();
        let file = file.split('#').next().unwrap();
        assert!(files.contains_key(file), "{file} is in the pack");
    }
}

/// The register's rows after its metadata lines, as a spreadsheet's user reads them.
fn csv_rows(bytes: &[u8]) -> (Vec<(String, String)>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let records: Vec<Vec<String>> =
        reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    let blank = records.iter().position(|r| r.iter().all(String::is_empty)).unwrap();
    let metadata = records[..blank].iter().map(|r| (r[0].clone(), r[1].clone())).collect();
    (metadata, records[blank + 1..].to_vec())
}

#[test]
fn every_register_reads_back_the_same_from_csv_and_from_xlsx() {
    use calamine::{Data, Reader, Xlsx};

    let mut w = workspace();
    let files = unzip(&build(&mut w, None));
    let csvs: Vec<&String> =
        files.keys().filter(|p| p.starts_with("registers/") && p.ends_with(".csv")).collect();
    assert_eq!(csvs.len(), 14);
    for path in csvs {
        let (metadata, rows) = csv_rows(&files[path]);
        assert_eq!(metadata[0], ("Workspace".to_owned(), "Acme AI".to_owned()), "{path}");
        assert!(metadata.iter().any(|(name, _)| name == "Version"), "{path}");
        let xlsx_path = path.replace(".csv", ".xlsx");
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(files[&xlsx_path].clone())).unwrap();
        let sheet = book.worksheet_range_at(0).unwrap().unwrap();
        let cells: Vec<Vec<String>> = sheet
            .rows()
            .map(|row| {
                row.iter()
                    .map(|cell| match cell {
                        Data::Float(f) => Cell::Number(*f).text(),
                        Data::Int(i) => i.to_string(),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .collect();
        let header = metadata.len() + 1;
        assert_eq!(cells[0][1], "Acme AI", "{xlsx_path}");
        for (i, row) in rows.iter().enumerate() {
            let read = &cells[header + i];
            assert_eq!(&read[..row.len()], &row[..], "{xlsx_path} row {i}");
        }
    }
    let (_, soa) = csv_rows(&files["registers/soa.csv"]);
    assert_eq!(soa.len(), 39, "the header and all 38 controls");
    let implemented = soa.iter().find(|r| r[0] == "A.6.2.4").unwrap();
    assert_eq!(implemented[4], "implemented");
    let (_, systems) = csv_rows(&files["registers/ai-systems.csv"]);
    assert_eq!(systems[1][0], "CV screener, \"v2\"", "quotes and commas survive");
    let (_, risks) = csv_rows(&files["registers/risks.csv"]);
    assert_eq!((risks[1][4].as_str(), risks[1][5].as_str(), risks[1][6].as_str()), ("3", "4", "12"));
}

#[test]
fn a_document_the_root_does_not_list_or_that_is_not_automerge_is_refused() {
    let mut w = workspace();
    let meta = PackMeta { workspace_id: "w".into(), generated_at_ms: T0, as_of_ms: None, keys: vec![] };
    let mut builder = PackBuilder::new(meta.clone(), "root", &w.root.save()).unwrap();
    let stranger = DocumentId::from_bytes([99; 16]);
    assert_eq!(
        builder.add_document(&stranger, &w.root.save()),
        Err(PackError::NotListed(stranger.to_string()))
    );
    let listed = w.docs[0].0;
    assert!(matches!(builder.add_document(&listed, b"junk"), Err(PackError::NotAutomerge { .. })));
    assert!(matches!(PackBuilder::new(meta, "root", b"junk"), Err(PackError::BadRoot(_))));
}

#[test]
fn a_document_this_device_does_not_hold_is_named_in_the_report() {
    let mut w = workspace();
    let meta = PackMeta { workspace_id: "w".into(), generated_at_ms: T0, as_of_ms: None, keys: vec![] };
    let mut builder = PackBuilder::new(meta, &w.root_id.to_string(), &w.root.save()).unwrap();
    let inventory = DocumentId::from_bytes([5; 16]);
    for (id, doc) in &mut w.docs {
        if *id == inventory {
            builder.note_missing(id);
        } else {
            builder.add_document(id, &doc.save()).unwrap();
        }
    }
    let files = unzip(&builder.finish().unwrap());
    assert!(
        text(&files, "index.html")
            .contains("Not in the browser that made this pack, so not in it: AI system inventory")
    );
}

#[test]
fn a_pack_restores_every_document_with_its_whole_history() {
    let mut w = workspace();
    let mut backup = backup_from_pack(&build(&mut w, None)).unwrap();
    assert_eq!(backup.workspace_name, "Acme AI");
    assert!(backup.missing.is_empty());
    assert_eq!(backup.root.get_heads(), w.root.get_heads());
    assert_eq!(backup.documents.len(), w.docs.len());
    for (id, doc) in &mut w.docs {
        let (_, restored) = backup.documents.iter_mut().find(|(r, _)| r == id).unwrap();
        assert_eq!(restored.get_heads(), doc.get_heads());
        assert_eq!(model::history(restored), model::history(doc));
    }
    let changes: usize = w.docs.iter_mut().map(|(_, d)| model::history(d).len()).sum::<usize>()
        + model::history(&mut w.root).len();
    assert_eq!(backup.changes(), changes);
}

#[test]
fn a_tampered_pack_is_not_restored() {
    let mut w = workspace();
    let pack = tampered(&build(&mut w, None), false, |files| {
        files.get_mut("history.csv").unwrap()[40] ^= 1;
    });
    assert!(matches!(backup_from_pack(&pack), Err(BackupError::Tampered(problems)) if problems.len() == 1));
    assert!(matches!(backup_from_pack(b"not a zip"), Err(BackupError::Pack(PackError::NotZip(_)))));
}

#[test]
fn a_folder_of_binaries_restores_and_each_bad_file_is_named() {
    let mut w = workspace();
    let mut files: Vec<(String, Vec<u8>)> =
        w.docs.iter_mut().map(|(id, d)| (format!("x/{id}.automerge"), d.save())).collect();
    files.push((format!("workspace-{}.automerge", w.root_id), w.root.save()));
    let backup = backup_from_files(&files).unwrap();
    assert_eq!(backup.documents.len(), 4);

    let without_one = &files[1..];
    assert_eq!(backup_from_files(without_one).unwrap().missing, vec!["AI policy".to_owned()]);
    assert!(matches!(backup_from_files(&files[..4]), Err(BackupError::NoRoot)));
    assert_eq!(backup_from_files(&[]).unwrap_err(), BackupError::Empty);
    let mut unnamed = files.clone();
    unnamed[0].0 = "policy.automerge".into();
    assert_eq!(
        backup_from_files(&unnamed).unwrap_err(),
        BackupError::Unnamed { file: "policy.automerge".into() }
    );
    let mut junk = files.clone();
    junk[0].1 = b"junk".to_vec();
    assert!(
        matches!(backup_from_files(&junk), Err(BackupError::NotAutomerge { file, .. }) if file == files[0].0)
    );
    let mut two = files.clone();
    two.push((format!("{}.automerge", DocumentId::from_bytes([9; 16])), w.root.save()));
    assert!(matches!(backup_from_files(&two), Err(BackupError::TwoRoots(..))));
}

#[test]
fn the_restoring_browser_joins_a_member_of_the_backup_as_a_device_of_theirs() {
    let mut w = workspace();
    let mut backup = backup_from_pack(&build(&mut w, None)).unwrap();
    let members = backup.members();
    assert_eq!(members.len(), 1);
    let (ada, name, role) = members[0].clone();
    assert_eq!((name.as_str(), role), ("Ada Lovelace", Role::Owner));
    let device = automerge::ActorId::from(vec![0xcd; 16]);
    let tab = automerge::ActorId::from([vec![0xcd; 16], vec![1; 8]].concat());
    backup.claim_member(T0 + 90 * MINUTE, ada, &device, tab.clone()).unwrap();
    let workspace = model::Workspace::load(&backup.root).unwrap();
    assert_eq!(workspace.member_for_actor(&device), Some(ada));
    assert_eq!(workspace.member_for_actor(&tab), Some(ada), "the change is the member's own");
    let heads = backup.root.get_heads();
    backup.claim_member(T0 + 91 * MINUTE, ada, &device, tab).unwrap();
    assert_eq!(backup.root.get_heads(), heads, "claiming twice changes nothing");
}

#[test]
fn a_register_changed_together_with_its_hash_still_differs_from_the_documents() {
    let mut w = workspace();
    let pack = tampered(&build(&mut w, None), true, |files| {
        let csv = String::from_utf8(files["registers/soa.csv"].clone()).unwrap();
        files.insert("registers/soa.csv".into(), csv.replacen("not started", "implemented", 1).into_bytes());
        let html = String::from_utf8(files["index.html"].clone()).unwrap();
        files.insert("index.html".into(), html.replace("Biased screening", "Fair screening").into_bytes());
    });
    let report = verify_pack(&pack).unwrap();
    assert_eq!(
        report.problems,
        vec![
            Problem::DerivedDiffers { path: "index.html".into() },
            Problem::DerivedDiffers { path: "registers/soa.csv".into() },
        ]
    );
}
