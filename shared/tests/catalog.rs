//! The catalog against the reference files in `shared/reference/`: every identifier, title and
//! parent of the reference is in the catalog, in the same order, and nothing else is; the vendored
//! reference is byte for byte the one whose checksums are recorded here (and so the project's);
//! and every piece of our own prose is present, distinct and finished.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use quorum_shared::catalog;
use sha2::{Digest, Sha256};

const ISO_42001: &str = "iso42001-2023.tsv";
const ANNEX_C: &str = "annex-c-objectives-risk-sources.tsv";
const ISO_42005: &str = "iso42005-impact-assessment.tsv";

/// The SHA-256 of each vendored reference file, recorded when it was copied from the project's
/// reference. The catalog is tested against the vendored files, so without these a change to a
/// reference file together with the catalog would pass unnoticed; with them the reference itself
/// is pinned, in every clone. Change a file only from the project's reference, and then its
/// checksum here (`sha256sum shared/reference/*`).
const REFERENCE_SHA256: [(&str, &str); 3] = [
    (ANNEX_C, "a7c478042793f974d592dfa43bab422863641845f0af33c7afe8afe5a72e9626"),
    (ISO_42001, "ca644dcb105a7f864a23d09843750845b4c105a6c59fb4532050bd68721e1ffa"),
    (ISO_42005, "e2b75eababd29bc9cffb88d4e8676c2f16d4cb3dd6200bede83f4554798aad47"),
];

/// An identifier with its title and, where the reference has one, its parent or objective.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    id: String,
    title: String,
    parent: Option<String>,
}

fn entry(id: &str, title: &str, parent: Option<&str>) -> Entry {
    Entry { id: id.to_owned(), title: title.to_owned(), parent: parent.map(str::to_owned) }
}

#[test]
fn iso42001_clauses_objectives_and_controls_match_the_reference() {
    let mut reference = read_reference(ISO_42001, &["clause", "objective", "control"]);
    check(
        "clauses",
        reference.remove("clause").unwrap_or_default(),
        catalog::clauses().iter().map(|c| entry(c.id, c.title, c.parent)).collect(),
    );
    check(
        "Annex A objectives",
        reference.remove("objective").unwrap_or_default(),
        catalog::objectives().iter().map(|o| entry(o.id, o.title, None)).collect(),
    );
    check(
        "Annex A controls",
        reference.remove("control").unwrap_or_default(),
        catalog::controls().iter().map(|c| entry(c.id, c.title, Some(c.objective))).collect(),
    );
}

#[test]
fn annex_c_matches_the_reference() {
    let mut reference = read_reference(ANNEX_C, &["objective", "risk-source"]);
    check(
        "Annex C objectives",
        reference.remove("objective").unwrap_or_default(),
        catalog::annex_c_objectives().iter().map(|e| entry(e.key, e.title, None)).collect(),
    );
    check(
        "Annex C risk sources",
        reference.remove("risk-source").unwrap_or_default(),
        catalog::risk_sources().iter().map(|e| entry(e.key, e.title, None)).collect(),
    );
}

#[test]
fn iso42005_matches_the_reference() {
    let mut reference = read_reference(ISO_42005, &["section", "process"]);
    check(
        "ISO/IEC 42005 sections",
        reference.remove("section").unwrap_or_default(),
        catalog::impact_sections().iter().map(|s| entry(s.id, s.title, None)).collect(),
    );
    check(
        "ISO/IEC 42005 process steps",
        reference.remove("process").unwrap_or_default(),
        catalog::impact_process_steps().iter().map(|s| entry(s.id, s.title, None)).collect(),
    );
}

#[test]
fn annex_a_has_9_objectives_and_38_controls() {
    assert_eq!(catalog::objectives().len(), 9);
    assert_eq!(catalog::controls().len(), 38);
    let per_objective: Vec<_> =
        catalog::objectives().iter().map(|o| (o.id, catalog::controls_of(o.id).count())).collect();
    assert_eq!(
        per_objective,
        [
            ("A.2", 3),
            ("A.3", 2),
            ("A.4", 5),
            ("A.5", 4),
            ("A.6", 9),
            ("A.7", 5),
            ("A.8", 4),
            ("A.9", 3),
            ("A.10", 3),
        ]
    );
}

#[test]
fn vendored_reference_matches_its_recorded_checksums() {
    let vendored = reference_dir();
    let recorded: BTreeSet<String> = REFERENCE_SHA256.iter().map(|(name, _)| (*name).to_owned()).collect();
    assert_eq!(
        file_names(&vendored),
        recorded,
        "{} must hold exactly the reference files with recorded checksums",
        vendored.display()
    );
    let problems = checksum_problems(&vendored);
    assert!(problems.is_empty(), "the vendored reference changed:\n  {}", problems.join("\n  "));

    // The project keeps its own copy of the reference beside the repository; where it is present
    // (not in every clone), it must be the very files the checksums record, so the two cannot
    // drift apart.
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference");
    if project.is_dir() {
        let problems = checksum_problems(&project);
        assert!(
            problems.is_empty(),
            "the project reference differs from the recorded one; if the project changed it, \
             copy its files over shared/reference and record their checksums:\n  {}",
            problems.join("\n  ")
        );
    }
}

#[test]
fn prose_is_present_distinct_and_finished() {
    let mut texts: Vec<(String, &str)> = Vec::new();
    for c in catalog::clauses() {
        texts.push((format!("clause {} description", c.id), c.description));
        texts.push((format!("clause {} auditor hint", c.id), c.auditor_hint));
    }
    for o in catalog::objectives() {
        texts.push((format!("objective {} description", o.id), o.description));
    }
    for c in catalog::controls() {
        texts.push((format!("control {} description", c.id), c.description));
        texts.push((format!("control {} auditor hint", c.id), c.auditor_hint));
    }
    for e in catalog::annex_c_objectives().iter().chain(catalog::risk_sources()) {
        texts.push((format!("Annex C {} description", e.key), e.description));
    }
    for s in catalog::impact_sections().iter().chain(catalog::impact_process_steps()) {
        texts.push((format!("ISO/IEC 42005 {} guidance", s.id), s.guidance));
    }
    check_prose(&texts);
}

/// Compares the catalog's entries of one kind with the reference's, in order, and reports every
/// missing, extra, retitled, re-parented or misplaced identifier at once.
fn check(what: &str, reference: Vec<Entry>, catalog: Vec<Entry>) {
    assert!(!reference.is_empty(), "the reference has no {what}");
    let in_catalog: HashMap<&str, &Entry> = catalog.iter().map(|e| (e.id.as_str(), e)).collect();
    let in_reference: HashMap<&str, &Entry> = reference.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut problems = Vec::new();
    for expected in &reference {
        match in_catalog.get(expected.id.as_str()) {
            None => problems.push(format!("missing {}", expected.id)),
            Some(actual) if actual != &expected => {
                problems.push(format!("{}: expected {expected:?}, found {actual:?}", expected.id))
            }
            Some(_) => {}
        }
    }
    for actual in &catalog {
        if !in_reference.contains_key(actual.id.as_str()) {
            problems.push(format!("{} is not in the reference", actual.id));
        }
    }
    if in_catalog.len() != catalog.len() {
        problems.push("the catalog lists an identifier twice".to_owned());
    }
    if problems.is_empty() && reference != catalog {
        let order: Vec<_> = catalog.iter().map(|e| e.id.as_str()).collect();
        problems.push(format!("not in document order: {order:?}"));
    }
    assert!(problems.is_empty(), "{what}:\n  {}", problems.join("\n  "));
}

/// Checks that each text is a finished, specific piece of prose: not empty, no placeholder, one
/// or two sentences ending with a period, and no text or sentence repeated anywhere else.
fn check_prose(texts: &[(String, &str)]) {
    let mut problems = Vec::new();
    let mut seen_text: HashMap<&str, &str> = HashMap::new();
    let mut seen_sentence: HashMap<&str, &str> = HashMap::new();
    for (place, text) in texts {
        if text.trim().is_empty() {
            problems.push(format!("{place} is empty"));
            continue;
        }
        if text.trim() != *text || text.contains("  ") {
            problems.push(format!("{place} has stray whitespace"));
        }
        if !text.ends_with('.') {
            problems.push(format!("{place} does not end with a period"));
        }
        let lower = text.to_lowercase();
        for placeholder in ["todo", "tbd", "fixme", "lorem", "xxx", "..."] {
            if lower.contains(placeholder) {
                problems.push(format!("{place} contains the placeholder {placeholder:?}"));
            }
        }
        let sentences: Vec<&str> = text.split_inclusive(". ").map(str::trim).collect();
        if sentences.len() > 2 {
            problems.push(format!("{place} has {} sentences", sentences.len()));
        }
        if let Some(other) = seen_text.insert(text, place) {
            problems.push(format!("{place} repeats {other}"));
            continue;
        }
        for sentence in sentences {
            if let Some(other) = seen_sentence.insert(sentence, place) {
                problems.push(format!("{place} repeats a sentence of {other}: {sentence:?}"));
            }
        }
    }
    assert!(problems.is_empty(), "prose:\n  {}", problems.join("\n  "));
}

fn reference_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("reference")
}

/// Reads a tab-separated reference file into its entries, grouped by kind in file order. Lines
/// starting with `#` are comments; a kind outside `kinds` fails the test, so that a new kind in
/// the reference cannot be silently ignored.
fn read_reference(file: &str, kinds: &[&str]) -> BTreeMap<String, Vec<Entry>> {
    let path = reference_dir().join(file);
    let text = String::from_utf8(read(&path)).expect("reference files are UTF-8");
    let mut entries: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let place = format!("{file}:{}", number + 1);
        let fields: Vec<&str> = line.split('\t').collect();
        let [kind, id, title, rest @ ..] = fields.as_slice() else {
            panic!("{place}: expected at least kind, id and title: {line:?}");
        };
        assert!(kinds.contains(kind), "{place}: unknown kind {kind:?}");
        let parent = match rest {
            [] | [""] => None,
            [parent] => Some(*parent),
            _ => panic!("{place}: too many fields: {line:?}"),
        };
        entries.entry((*kind).to_owned()).or_default().push(entry(id, title, parent));
    }
    entries
}

/// Every reference file in `dir` whose SHA-256 is not the recorded one, or that cannot be read.
fn checksum_problems(dir: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, expected) in REFERENCE_SHA256 {
        let path = dir.join(name);
        match fs::read(&path) {
            Err(e) => problems.push(format!("cannot read {}: {e}", path.display())),
            Ok(bytes) => {
                let actual: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
                if actual != expected {
                    problems.push(format!("{}: SHA-256 {actual}, recorded {expected}", path.display()));
                }
            }
        }
    }
    problems
}

fn file_names(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").file_name().to_string_lossy().into_owned())
        .collect()
}

fn read(path: &Path) -> Vec<u8> {
    fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}
