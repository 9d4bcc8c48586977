//! `actorgraph ner`: training the name tagger that the pipeline compiles in.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use rayon::prelude::*;

use actorgraph::Extractor;
use actorgraph::tagger::{NameKind, Tagger, TrainOptions, TrainSentence, train};
use actorgraph::tools::ner::{
    TagMap, conll_sentences, micro, read_tag_map, score, training_sentence,
};

use super::args::GazetteerArgs;
use super::{Done, Fatal, load_gazetteer, output_file};

#[derive(Subcommand)]
pub enum NerCommand {
    /// Train the name tagger on CoNLL files and write its model (deterministic: the
    /// same data, seed and gazetteers give the same bytes).
    Train(TrainArgs),
}

#[derive(Args)]
pub struct TrainArgs {
    /// CoNLL training data (a token and a BIO tag a line); repeatable.
    #[arg(long = "train", required = true, value_name = "FILE")]
    train: Vec<PathBuf>,
    /// CoNLL data to score the model on after training (never trained on).
    #[arg(long, value_name = "FILE")]
    dev: Option<PathBuf>,
    /// A map of fine tags to the tagger's types (`fine<TAB>coarse`), for training data
    /// tagged with finer types (models/wikifane-tags.tsv for WikiFANE).
    #[arg(long, value_name = "FILE")]
    tag_map: Option<PathBuf>,
    /// The model file to write.
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    /// Passes over the training data.
    #[arg(long, default_value_t = TrainOptions::default().epochs, value_name = "N")]
    epochs: usize,
    /// Seed of the order the sentences are visited in.
    #[arg(long, default_value_t = TrainOptions::default().seed, value_name = "N")]
    seed: u64,
    /// Leave out features whose weights all stay below N/256: they decide little and
    /// make the model larger.
    #[arg(long, default_value_t = TrainOptions::default().prune_below, value_name = "N")]
    prune: i16,
    #[command(flatten)]
    gazetteer: GazetteerArgs,
}

pub fn run(command: NerCommand) -> Result<Done, Fatal> {
    match command {
        NerCommand::Train(args) => train_model(args),
    }
}

/// Reads CoNLL files into the tagger's sentences.
fn read(
    paths: &[PathBuf],
    map: Option<&TagMap>,
    extractor: &Extractor,
) -> Result<Vec<TrainSentence>, Fatal> {
    let mut conll = Vec::new();
    for path in paths {
        let text = read_text(path)?;
        conll.extend(conll_sentences(&text, &path.display().to_string(), map).map_err(Fatal)?);
    }
    Ok(conll
        .par_iter()
        .map(|s| training_sentence(extractor, s))
        .collect())
}

fn read_text(path: &std::path::Path) -> Result<String, Fatal> {
    std::fs::read_to_string(path).map_err(|e| Fatal(format!("{}: {e}", path.display())))
}

fn train_model(args: TrainArgs) -> Result<Done, Fatal> {
    let extractor = Extractor::new(load_gazetteer(&args.gazetteer)?)?;
    let map = match &args.tag_map {
        Some(path) => {
            Some(read_tag_map(&read_text(path)?, &path.display().to_string()).map_err(Fatal)?)
        }
        None => None,
    };
    let sentences = read(&args.train, map.as_ref(), &extractor)?;
    let options = TrainOptions {
        epochs: args.epochs,
        seed: args.seed,
        prune_below: args.prune,
    };
    let (model, report) = train(&sentences, &options);
    let bytes = model.to_bytes();
    let mut file = output_file(&args.output)?;
    std::io::Write::write_all(&mut file, &bytes)
        .map_err(|e| Fatal(format!("writing {}: {e}", args.output.display())))?;
    file.commit()?;
    let errors: Vec<String> = report.errors.iter().map(|e| format!("{e:.4}")).collect();
    println!(
        "trained on {} sentences, {} words; training error by epoch: {}",
        report.sentences,
        report.words,
        errors.join(" ")
    );
    println!(
        "model: {} features, {} bytes, in {}",
        report.features,
        bytes.len(),
        args.output.display()
    );
    if let Some(dev) = &args.dev {
        let dev_sentences = read(std::slice::from_ref(dev), map.as_ref(), &extractor)?;
        let counts = score(&Tagger::new(model), &dev_sentences);
        println!("{}: exact spans, the CoNLL way", dev.display());
        println!("type\tprecision\trecall\tF1\tgold");
        let name = |kind: NameKind| match kind {
            NameKind::Per => "PER",
            NameKind::Org => "ORG",
            NameKind::Loc => "LOC",
        };
        for (kind, c) in &counts {
            let (p, r, f) = c.prf();
            println!("{}\t{p:.3}\t{r:.3}\t{f:.3}\t{}", name(*kind), c.gold);
        }
        let all = micro(&counts);
        let (p, r, f) = all.prf();
        println!("micro\t{p:.3}\t{r:.3}\t{f:.3}\t{}", all.gold);
    }
    Ok(Done::Clean)
}
