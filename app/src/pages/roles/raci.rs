//! The RACI matrix as the page shows it: plain values read from the roles document, the
//! columns (the workspace's members, and anyone still assigned who has left), and what each row
//! and column says in words. No view code, so it is tested without a page.

use std::collections::BTreeMap;

use quorum_shared::model::{MemberId, ProcessId, Raci, Roles, raci_violations};

/// One process, as its row shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessView {
    pub id: ProcessId,
    pub name: String,
    pub raci: BTreeMap<MemberId, Raci>,
    /// How many members are accountable, when the model's RACI rule finds it is not one.
    pub violation: Option<usize>,
}

/// The roles document, as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RolesView {
    pub processes: Vec<ProcessView>,
    pub concern_reporting: String,
    pub concern_contact: String,
}

impl RolesView {
    pub fn new(roles: &Roles) -> Self {
        let violations: BTreeMap<ProcessId, usize> =
            raci_violations(roles).into_iter().map(|v| (v.process, v.accountable)).collect();
        let processes = roles
            .processes_in_order()
            .into_iter()
            .map(|(id, process)| ProcessView {
                id,
                name: process.name.clone(),
                raci: process.raci.clone(),
                violation: violations.get(&id).copied(),
            })
            .collect();
        Self {
            processes,
            concern_reporting: roles.concern_reporting.as_str().to_owned(),
            concern_contact: roles.concern_contact.clone(),
        }
    }
}

/// A column of the matrix: a member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub member: MemberId,
    pub name: String,
    /// Assigned somewhere but no longer a member of the workspace: still shown, so that the
    /// assignment can be seen and cleared rather than counted invisibly.
    pub former: bool,
}

/// The members by name, then anyone assigned who is no longer a member.
pub fn columns(members: &BTreeMap<MemberId, String>, processes: &[ProcessView]) -> Vec<Column> {
    let mut columns: Vec<Column> = members
        .iter()
        .map(|(member, name)| Column { member: *member, name: name.clone(), former: false })
        .collect();
    quorum_shared::order::sort_by(&mut columns, |a, b| {
        a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.member.cmp(&b.member))
    });
    let mut former: Vec<MemberId> = processes
        .iter()
        .flat_map(|p| p.raci.keys())
        .filter(|member| !members.contains_key(member))
        .copied()
        .collect();
    quorum_shared::order::sort(&mut former);
    former.dedup();
    columns.extend(former.into_iter().map(|member| Column {
        member,
        name: "Former member".to_owned(),
        former: true,
    }));
    columns
}

/// The letter a cell shows and stores in its select; empty for no part.
pub fn letter(raci: Option<Raci>) -> &'static str {
    match raci {
        Some(Raci::Responsible) => "R",
        Some(Raci::Accountable) => "A",
        Some(Raci::Consulted) => "C",
        Some(Raci::Informed) => "I",
        None => "",
    }
}

/// The part a select's value stands for; anything else is no part.
pub fn part(letter: &str) -> Option<Raci> {
    match letter {
        "R" => Some(Raci::Responsible),
        "A" => Some(Raci::Accountable),
        "C" => Some(Raci::Consulted),
        "I" => Some(Raci::Informed),
        _ => None,
    }
}

/// A break of the rule the model checks (one accountable member per process), said calmly with
/// what to do about it.
pub fn row_warning(accountable: usize) -> Option<String> {
    match accountable {
        1 => None,
        0 => Some("No one is accountable yet: give one member the A.".to_owned()),
        n => Some(format!("{n} members are accountable: keep one A and make the others R.")),
    }
}

/// What a member carries across all processes, for the column's foot: "A 2 · R 1", or "—".
pub fn column_summary(member: MemberId, processes: &[ProcessView]) -> String {
    let parts = [Raci::Accountable, Raci::Responsible, Raci::Consulted, Raci::Informed];
    let counts: Vec<String> = parts
        .into_iter()
        .filter_map(|part| {
            let count = processes.iter().filter(|p| p.raci.get(&member) == Some(&part)).count();
            (count > 0).then(|| format!("{} {count}", letter(Some(part))))
        })
        .collect();
    if counts.is_empty() { "—".to_owned() } else { counts.join(" · ") }
}

/// The row in words, for people who cannot scan the grid: "Accountable: Ada. Responsible: Bea, Cy."
pub fn row_summary(process: &ProcessView, columns: &[Column]) -> String {
    let parts = [
        (Raci::Accountable, "Accountable"),
        (Raci::Responsible, "Responsible"),
        (Raci::Consulted, "Consulted"),
        (Raci::Informed, "Informed"),
    ];
    let sentences: Vec<String> = parts
        .into_iter()
        .filter_map(|(part, word)| {
            let who: Vec<&str> = columns
                .iter()
                .filter(|c| process.raci.get(&c.member) == Some(&part))
                .map(|c| c.name.as_str())
                .collect();
            (!who.is_empty()).then(|| format!("{word}: {}.", who.join(", ")))
        })
        .collect();
    if sentences.is_empty() { "No one is assigned yet.".to_owned() } else { sentences.join(" ") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(byte: u8) -> MemberId {
        MemberId::from_bytes([byte; 16])
    }

    fn process(raci: &[(MemberId, Raci)]) -> ProcessView {
        ProcessView {
            id: ProcessId::from_bytes([7; 16]),
            name: "Internal audit".into(),
            raci: raci.iter().copied().collect(),
            violation: None,
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn columns_are_members_by_name_then_former_members() {
        let (ada, bea, gone) = (member(1), member(2), member(3));
        let members = BTreeMap::from([(bea, "bea".to_owned()), (ada, "Ada".to_owned())]);
        let processes = [process(&[(gone, Raci::Informed), (ada, Raci::Accountable)])];
        let columns = columns(&members, &processes);
        let names: Vec<_> = columns.iter().map(|c| (c.name.as_str(), c.former)).collect();
        assert_eq!(names, [("Ada", false), ("bea", false), ("Former member", true)]);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn rows_and_columns_say_who_carries_what() {
        let (ada, bea, cy) = (member(1), member(2), member(3));
        let members =
            BTreeMap::from([(ada, "Ada".to_owned()), (bea, "Bea".to_owned()), (cy, "Cy".to_owned())]);
        let audit = process(&[(ada, Raci::Accountable), (bea, Raci::Responsible), (cy, Raci::Responsible)]);
        let review = process(&[(ada, Raci::Accountable), (bea, Raci::Informed)]);
        let columns = columns(&members, &[]);
        assert_eq!(row_summary(&audit, &columns), "Accountable: Ada. Responsible: Bea, Cy.");
        assert_eq!(row_summary(&process(&[]), &columns), "No one is assigned yet.");
        let both = [audit, review];
        assert_eq!(column_summary(ada, &both), "A 2");
        assert_eq!(column_summary(bea, &both), "R 1 · I 1");
        assert_eq!(column_summary(member(9), &both), "—");
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_row_warns_unless_exactly_one_member_is_accountable() {
        assert_eq!(row_warning(1), None);
        assert!(row_warning(0).is_some_and(|w| w.contains("No one is accountable")));
        assert!(row_warning(2).is_some_and(|w| w.starts_with("2 members are accountable")));
        for part in [
            None,
            Some(Raci::Responsible),
            Some(Raci::Accountable),
            Some(Raci::Consulted),
            Some(Raci::Informed),
        ] {
            assert_eq!(super::part(letter(part)), part, "a select's value reads back as the part it shows");
        }
    }
}
