use actorgraph::normalize::Folded;
fn main() {
    let g = actorgraph::Gazetteer::builtin().unwrap();
    let ex = actorgraph::Extractor::new(g).unwrap();
    let text = std::env::args().nth(1).unwrap();
    let f = Folded::new(&text);
    println!("{}", f.text);
    let a = actorgraph::Article {
        id: "x".into(),
        date: Some("2018-06-25".into()),
        title: None,
        text,
    };
    let r = ex.extract(&a);
    for m in &r.mentions {
        println!(
            "M {} {} {} {:?} {}",
            m.start, m.end, m.text, m.mention_type, m.entity
        );
    }
    for rel in &r.relations {
        println!(
            "R {:?} {} {} {} {}",
            rel.kind, rel.source.entity, rel.target.entity, rel.rule, rel.trigger.text
        );
    }
}
