use quorum_shared::model::{self, ControlId, ImplementationStatus};
use std::time::Instant;

#[test]
fn diff_cost() {
    let mut doc = model::new_document();
    model::create_soa(&mut doc, 0).unwrap();
    let controls: Vec<ControlId> = ControlId::all().collect();
    for i in 0..200 {
        let s = [
            ImplementationStatus::Planned,
            ImplementationStatus::InProgress,
            ImplementationStatus::Implemented,
        ][i % 3];
        model::set_implementation_status(&mut doc, i as i64 * 1000, controls[i % 3], s).unwrap();
    }
    let before = doc.get_heads();
    model::set_implementation_status(&mut doc, 999_000, controls[7], ImplementationStatus::Planned).unwrap();
    let after = doc.get_heads();
    let n = 200;
    let t = Instant::now();
    let mut len = 0;
    for _ in 0..n {
        len = doc.document().diff(&before, &after).len();
    }
    println!("diff {:.3} ms ({len} patches)", t.elapsed().as_secs_f64() * 1000.0 / n as f64);
    let p = doc.document().diff(&before, &after);
    println!("{:?}", p.iter().map(|p| (p.path.clone(), p.action.clone())).collect::<Vec<_>>());
}
