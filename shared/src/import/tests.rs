//! Spreadsheet import: reading CSV and XLSX, guessing the header and the mapping (Quorum's own
//! export and other tools' names), per-row errors before anything is written, one commit for
//! every good row, and undo taking it all back.

use super::*;
use crate::model::{self, ControlId, MemberId, RiskRegister, StatementOfApplicability, testing::random};
use crate::pack::{Cell, Table};

fn context() -> Context {
    Context { members: vec![(MemberId::from_bytes([1; 16]), "Ada Lovelace".into())], ..Context::default() }
}

fn sheet_of(csv: &str) -> Sheet {
    read_sheets("sheet.csv", csv.as_bytes()).unwrap().remove(0)
}

fn previewed(target: Target, csv: &str) -> Preview {
    let sheet = sheet_of(csv);
    let header = guess_header_row(target, &sheet);
    let mapping = guess_mapping(target, &sheet.rows[header]);
    preview(target, &sheet, header, &mapping, &context())
}

#[test]
fn other_tools_headers_are_mapped_and_each_bad_row_says_why() {
    let preview = previewed(
        Target::Risks,
        "Risk title;Probability;Impact;Risk owner;Controls\n\
         Biased screening;3;Major;Ada Lovelace;A.6.2.4, A.7.4\n\
         ;2;2;;\n\
         Model drift;9;2;;\n\
         Data leak;Likely;2;Grace;A.99\n",
    );
    let errors: Vec<Vec<String>> = preview.rows.iter().map(|r| r.errors.clone()).collect();
    assert_eq!(errors[0], Vec::<String>::new());
    assert_eq!(errors[1], vec!["the risk has no title"]);
    assert_eq!(errors[2], vec!["likelihood \"9\" is not on the scale of 1 to 5"]);
    assert_eq!(errors[3], vec!["\"A.99\" is not an Annex A control", "no member is named \"Grace\""]);
    assert_eq!(preview.rows[3].line, 5, "rows are numbered as the sheet numbers them");
    assert_eq!(preview.good(), 1);
}

#[test]
fn good_rows_are_added_in_one_commit_that_one_undo_takes_back() {
    let mut doc = model::new_document();
    model::create_risk_register(&mut doc, 0).unwrap();
    let preview = previewed(
        Target::Risks,
        "Risk,Likelihood,Consequence,Treatment\nBiased screening,3,4,Modify: reduce likelihood or consequence\nModel drift,2,2,retain\n,1,1,\n",
    );
    assert_eq!(preview.good(), 2);
    let before = model::history(&mut doc).len();
    let heads_before = doc.get_heads();
    assert_eq!(apply(&mut doc, 1_000, random, &preview).unwrap(), 2);
    let heads_after = doc.get_heads();
    let history = model::history(&mut doc);
    assert_eq!(history.len(), before + 1, "one commit for the whole import");
    assert_eq!(history.last().unwrap().message.as_deref(), Some("import 2 risks"));
    let register = RiskRegister::load(&doc).unwrap();
    let titles: Vec<&str> = register.risks_in_order().iter().map(|(_, r)| r.title.as_str()).collect();
    assert_eq!(titles, ["Biased screening", "Model drift"], "in the sheet's order");
    assert_eq!(register.risks_in_order()[0].1.treatment, model::Treatment::Modify);

    model::undo_change(&mut doc, 2_000, &heads_before, &heads_after).unwrap();
    assert!(RiskRegister::load(&doc).unwrap().risks.is_empty(), "one undo takes the import back");
}

#[test]
fn quorums_own_exports_import_back_from_csv_and_from_xlsx() {
    // The AI system inventory as the audit pack writes it, with its metadata lines above the header.
    let mut table = Table::new(
        "ai-systems",
        "AI system inventory",
        "4.3",
        &["AI system", "Purpose", "Organization's role", "Life cycle stage", "Data", "Owner", "In scope"],
    );
    table.push(
        [
            "CV screener",
            "Ranks applications",
            "customer (user)",
            "operation and monitoring",
            "CVs",
            "Ada Lovelace",
            "yes",
        ]
        .map(Cell::from)
        .to_vec(),
    );
    table.push(["Chat assistant", "", "provider", "deployment", "", "", "no"].map(Cell::from).to_vec());
    let metadata = [("Workspace", "Acme".to_owned()), ("Version", "abc".to_owned())];
    let csv = read_sheets("ai-systems.csv", &table.csv(&metadata)).unwrap();
    let xlsx = read_sheets("ai-systems.xlsx", &table.xlsx(&metadata).unwrap()).unwrap();
    assert_eq!(csv[0].rows, xlsx[0].rows, "the same cells from CSV and from XLSX");
    for sheets in [csv, xlsx] {
        let sheet = &sheets[0];
        let header = guess_header_row(Target::AiSystems, sheet);
        assert_eq!(header, 3, "below the metadata lines and the empty one");
        let mapping = guess_mapping(Target::AiSystems, &sheet.rows[header]);
        assert!(mapping.iter().all(Option::is_some), "{mapping:?}");
        let preview = preview(Target::AiSystems, sheet, header, &mapping, &context());
        assert_eq!(preview.good(), 2, "{:?}", preview.rows);
        let mut doc = model::new_document();
        model::create_inventory(&mut doc, 0).unwrap();
        apply(&mut doc, 1, random, &preview).unwrap();
        let inventory = model::Inventory::load(&doc).unwrap();
        let screener = inventory.systems.values().find(|s| s.name == "CV screener").unwrap();
        assert_eq!(screener.organization_role, model::OrganizationRole::Customer);
        assert_eq!(screener.life_cycle, model::LifeCycleStage::Operation);
        assert_eq!(screener.owner, Some(MemberId::from_bytes([1; 16])));
        assert!(screener.in_scope);
        assert!(!inventory.systems.values().find(|s| s.name == "Chat assistant").unwrap().in_scope);
    }
}

#[test]
fn soa_rows_update_their_controls_and_an_exclusion_needs_its_justification() {
    let mut doc = model::new_document();
    model::create_soa(&mut doc, 0).unwrap();
    let preview = previewed(
        Target::Soa,
        "Control,Applicable?,Justification,Implementation status\n\
         A.6.2.4,yes,Needed for the screener,implemented\n\
         A.10.4,no,No customers use our AI,\n\
         A.5.2,no,,\n\
         A.9.9,yes,,\n\
         A.6.2.4,yes,,planned\n\
         A.7.4,excluded,Not ours,in progress\n",
    );
    let errors: Vec<String> = preview.rows.iter().map(|r| r.errors.join("; ")).collect();
    assert_eq!(
        errors,
        [
            "",
            "",
            "A.5.2 is excluded without a justification",
            "\"A.9.9\" is not an Annex A control",
            "A.6.2.4 is on row 2 already",
            "A.7.4 is excluded, so it has no implementation status",
        ]
    );
    apply(&mut doc, 1, random, &preview).unwrap();
    let soa = StatementOfApplicability::load(&doc).unwrap();
    let implemented: ControlId = "A.6.2.4".parse().unwrap();
    assert_eq!(soa.rows[&implemented].status, model::ImplementationStatus::Implemented);
    let excluded: ControlId = "A.10.4".parse().unwrap();
    assert_eq!(soa.rows[&excluded].applicability, model::Applicability::Excluded);
    assert_eq!(soa.rows[&excluded].justification.as_str(), "No customers use our AI");
    assert!(model::soa_violations(&doc).unwrap().is_empty());
}

#[test]
fn files_that_are_not_spreadsheets_are_refused_by_name() {
    assert_eq!(read_sheets("notes.pdf", b"%PDF"), Err(ImportError::UnknownFormat("notes.pdf".into())));
    assert!(matches!(read_sheets("risks.xlsx", b"not a zip"), Err(ImportError::BadXlsx(_))));
    assert!(matches!(read_sheets("risks.csv", b"\xff\xfe\x00"), Err(ImportError::BadCsv(_))));
    assert_eq!(read_sheets("risks.csv", b""), Err(ImportError::Empty));
    let many = "Risk\n".to_owned() + &"x\n".repeat(MAX_ROWS + 30);
    assert_eq!(read_sheets("risks.csv", many.as_bytes()), Err(ImportError::TooManyRows));
    // A sheet with a header and no good row imports nothing, and writes nothing.
    let mut doc = model::new_document();
    model::create_risk_register(&mut doc, 0).unwrap();
    let heads = doc.get_heads();
    let preview = previewed(Target::Risks, "Risk,Likelihood\n,7\n");
    assert_eq!(preview.good(), 0);
    assert!(apply(&mut doc, 1, random, &preview).is_err());
    assert_eq!(doc.get_heads(), heads);
}
