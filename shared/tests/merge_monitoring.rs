//! Two people edit the same indicator at once and record readings at once: after the merge, in
//! either order, every field each of them set and every reading each of them recorded is there.

use automerge::{ActorId, AutoCommit, ROOT, ReadDoc};
use quorum_shared::model::{
    self, Date, Direction, Frequency, Indicator, IndicatorField, IndicatorId, IndicatorLink, Monitoring,
    ObjectiveId, Position, Reading, ReadingField, ReadingId, TextEdit,
};

fn replicas(base: &mut AutoCommit) -> (AutoCommit, AutoCommit) {
    (base.fork().with_actor(ActorId::from([10; 16])), base.fork().with_actor(ActorId::from([11; 16])))
}

fn merged(a: &mut AutoCommit, b: &mut AutoCommit) -> AutoCommit {
    let mut forward = a.fork();
    forward.merge(b).unwrap();
    let mut backward = b.fork();
    backward.merge(a).unwrap();
    let content = |doc: &AutoCommit| doc.hydrate(ROOT, None).unwrap();
    assert_eq!(content(&forward), content(&backward), "same content both ways");
    forward
}

fn id<T: model::RecordKey>(n: u8) -> T {
    T::from_bytes([n; 16])
}

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

#[test]
fn concurrent_edits_of_one_indicator_and_its_readings_all_survive() {
    let mut base = model::new_document();
    model::create_monitoring(&mut base, 0).unwrap();
    let indicator = id::<IndicatorId>(1);
    let start = Indicator {
        name: "Appeals upheld".into(),
        description: "Share of appeals".into(),
        ..Indicator::default()
    };
    model::add_with_id(&mut base, 0, indicator, start, Position::Last).unwrap();
    let first = id::<ReadingId>(1);
    model::add_with_id(&mut base, 0, first, Reading::new(indicator, date("2025-01-31"), 6.0), Position::Last)
        .unwrap();
    let (mut ada, mut bob) = replicas(&mut base);

    // Ada sets the target and its unit, links the objective, types in the description and
    // records February; Bob, at the same time, sets the frequency, the direction and the method,
    // types in the description, records March and corrects January's note.
    let objective = IndicatorLink::Objective(id::<ObjectiveId>(5));
    model::edit(&mut ada, 1, indicator, IndicatorField::Target(Some(5.0))).unwrap();
    model::edit(&mut ada, 2, indicator, IndicatorField::Unit("%".into())).unwrap();
    model::edit(&mut ada, 3, indicator, IndicatorField::Link(Some(objective))).unwrap();
    model::edit(
        &mut ada,
        4,
        indicator,
        IndicatorField::Description(TextEdit::Splice { pos: 0, delete: 0, insert: "The ".into() }),
    )
    .unwrap();
    let february =
        model::add(&mut ada, 5, [101; 16], Reading::new(indicator, date("2025-02-28"), 5.5), Position::Last)
            .unwrap();

    model::edit(&mut bob, 1, indicator, IndicatorField::Frequency(Frequency::Quarterly)).unwrap();
    model::edit(&mut bob, 2, indicator, IndicatorField::Direction(Direction::LowerIsBetter)).unwrap();
    model::edit(&mut bob, 3, indicator, IndicatorField::Method("Count from the case system".into())).unwrap();
    let end = "Share of appeals".len();
    model::edit(
        &mut bob,
        4,
        indicator,
        IndicatorField::Description(TextEdit::Splice { pos: end, delete: 0, insert: " upheld".into() }),
    )
    .unwrap();
    let march =
        model::add(&mut bob, 5, [102; 16], Reading::new(indicator, date("2025-03-31"), 4.0), Position::Last)
            .unwrap();
    model::edit(&mut bob, 6, first, ReadingField::Note("Estimated".into())).unwrap();

    let doc = merged(&mut ada, &mut bob);
    let monitoring = Monitoring::load(&doc).unwrap();
    let merged = &monitoring.indicators[&indicator];
    assert_eq!(merged.name, "Appeals upheld");
    assert_eq!(merged.description.as_str(), "The Share of appeals upheld");
    assert_eq!(merged.target, Some(5.0));
    assert_eq!(merged.unit, "%");
    assert_eq!(merged.link, Some(objective));
    assert_eq!(merged.frequency, Frequency::Quarterly);
    assert_eq!(merged.direction, Direction::LowerIsBetter);
    assert_eq!(merged.method, "Count from the case system");

    let readings: Vec<ReadingId> = monitoring.readings_of(indicator).into_iter().map(|(id, _)| id).collect();
    assert_eq!(readings, [first, february, march], "every reading, oldest first");
    assert_eq!(monitoring.readings[&first].note, "Estimated");
    let (latest, reading) = monitoring.latest(indicator).unwrap();
    assert_eq!((latest, merged.meets(reading.value)), (march, Some(true)));
    assert!(!monitoring.is_overdue(indicator, date("2025-06-30")));
    assert_eq!(monitoring.linked_to(&objective).len(), 1);
}

#[test]
fn a_reading_recorded_while_its_indicator_is_deleted_stays_as_an_orphan() {
    let mut base = model::new_document();
    model::create_monitoring(&mut base, 0).unwrap();
    let indicator = id::<IndicatorId>(1);
    model::add_with_id(
        &mut base,
        0,
        indicator,
        Indicator { name: "Drift".into(), ..Default::default() },
        Position::Last,
    )
    .unwrap();
    let (mut ada, mut bob) = replicas(&mut base);
    model::delete(&mut ada, 1, indicator).unwrap();
    let reading =
        model::add(&mut bob, 1, [103; 16], Reading::new(indicator, date("2025-02-01"), 1.0), Position::Last)
            .unwrap();
    let monitoring = Monitoring::load(&merged(&mut ada, &mut bob)).unwrap();
    assert!(monitoring.indicators.is_empty());
    assert_eq!(monitoring.readings[&reading].indicator, indicator, "kept, pointing at what it measured");
}
