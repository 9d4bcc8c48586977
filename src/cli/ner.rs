//! `actorgraph ner`: training the name tagger that the pipeline compiles in.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use rayon::prelude::*;

use actorgraph::run::input::Item;
use actorgraph::tagger::{Clusters, NameKind, Tagger, TrainOptions, TrainSentence, train};
use actorgraph::tools::clusters::{ClusterOptions, Corpus, learn, to_tsv};
use actorgraph::tools::ner::{
    TagMap, conll_sentences, micro, number_documents, read_tag_map, score, training_sentence,
};
use actorgraph::{Extractor, Inputs};

use super::args::GazetteerArgs;
use super::{Done, Fatal, load_gazetteer, output_file};

#[derive(Subcommand)]
pub enum NerCommand {
    /// Train the name tagger on CoNLL files and write its model (deterministic: the
    /// same data, seed and gazetteers give the same bytes).
    Train(TrainArgs),
    /// Learn word clusters from unlabelled text, for the tagger's features
    /// (deterministic: the same files, in the same order, and options give the same
    /// bytes).
    Clusters(ClustersArgs),
}

#[derive(Args)]
pub struct ClustersArgs {
    /// Text to learn from: articles as `extract` reads them (JSON Lines, CSV, text,
    /// compressed, folders; their title and text), or CoNLL files (`.txt`, `.conll`: their
    /// tokens); repeatable.
    #[arg(required = true, value_name = "FILE")]
    inputs: Vec<PathBuf>,
    /// The clusters file to write (`word<TAB>coarse<TAB>middle<TAB>fine`).
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    /// Most words that get clusters, the most frequent first.
    #[arg(long, default_value_t = ClusterOptions::default().words, value_name = "N")]
    words: usize,
    /// Fewest occurrences of a word that gets clusters.
    #[arg(long, default_value_t = ClusterOptions::default().min_count, value_name = "N")]
    min_count: u64,
    /// How many of the most frequent words are counted as neighbours.
    #[arg(long, default_value_t = ClusterOptions::default().contexts, value_name = "N")]
    contexts: usize,
    /// Seed of the first cluster centres.
    #[arg(long, default_value_t = ClusterOptions::default().seed, value_name = "N")]
    seed: u64,
}

#[derive(Args)]
pub struct TrainArgs {
    /// CoNLL training data (a token and a BIO tag a line); repeatable.
    #[arg(long = "train", required = true, value_name = "FILE")]
    train: Vec<PathBuf>,
    /// CoNLL data to score the model on after training (never trained on), each 50
    /// sentences read as one document.
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
    /// Word clusters to train with, from `actorgraph ner clusters` [default: the built-in
    /// models/clusters.tsv]. A model must be used with the clusters it was trained with.
    #[arg(long, value_name = "FILE")]
    clusters: Option<PathBuf>,
    /// Leave out features whose weights all stay below N/256: they decide little and
    /// make the model larger.
    #[arg(long, default_value_t = TrainOptions::default().prune_below, value_name = "N")]
    prune: i16,
    /// Learn the document features too: what a first pass said of the same stem elsewhere
    /// in the article (training then takes about eight times as long).
    #[arg(long)]
    document_features: bool,
    #[command(flatten)]
    gazetteer: GazetteerArgs,
}

pub fn run(command: NerCommand) -> Result<Done, Fatal> {
    match command {
        NerCommand::Train(args) => train_model(args),
        NerCommand::Clusters(args) => learn_clusters(args),
    }
}

/// Reads CoNLL files into the tagger's sentences.
fn read(
    paths: &[PathBuf],
    map: Option<&TagMap>,
    extractor: &Extractor,
) -> Result<Vec<TrainSentence>, Fatal> {
    let mut sentences = Vec::new();
    let mut documents = 0;
    for path in paths {
        let text = read_text(path)?;
        let conll = conll_sentences(&text, &path.display().to_string(), map).map_err(Fatal)?;
        let mut read: Vec<TrainSentence> = conll
            .par_iter()
            .map(|s| training_sentence(extractor, s))
            .collect();
        documents = number_documents(&mut read, documents);
        sentences.extend(read);
    }
    Ok(sentences)
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
        documents: args.document_features,
    };
    let clusters = match &args.clusters {
        Some(path) => {
            Clusters::from_tsv(&read_text(path)?, &path.display().to_string()).map_err(Fatal)?
        }
        None => Clusters::builtin().clone(),
    };
    let (model, report) = train(&sentences, &clusters, &options);
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
        let counts = score(&Tagger::with_clusters(model, clusters), &dev_sentences);
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

/// Whether `path` names CoNLL data (`.txt`, `.conll`): its tokens are read, its tags
/// never. Anything else is read as articles, as `extract` reads them.
fn is_conll(path: &std::path::Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt") || e.eq_ignore_ascii_case("conll"))
}

fn learn_clusters(args: ClustersArgs) -> Result<Done, Fatal> {
    let mut corpus = Corpus::default();
    let mut skipped = 0usize;
    for path in &args.inputs {
        if is_conll(path) {
            let name = path.display().to_string();
            for sentence in conll_sentences(&read_text(path)?, &name, None).map_err(Fatal)? {
                let tokens: Vec<&str> = sentence.iter().map(|(t, _)| t.as_str()).collect();
                corpus.add(&tokens.join(" "));
            }
            continue;
        }
        for item in Inputs::new(std::slice::from_ref(path)) {
            match item {
                Item::Article { article, .. } => {
                    if let Some(title) = &article.title {
                        corpus.add(title);
                    }
                    corpus.add(&article.text);
                }
                Item::Problem(problem) => {
                    eprintln!("actorgraph: {problem}");
                    skipped += usize::from(!problem.recovered);
                }
            }
        }
    }
    let options = ClusterOptions {
        words: args.words,
        min_count: args.min_count,
        contexts: args.contexts,
        seed: args.seed,
        ..ClusterOptions::default()
    };
    let words = learn(&corpus, &options);
    let mut file = output_file(&args.output)?;
    std::io::Write::write_all(&mut file, to_tsv(&words).as_bytes())
        .map_err(|e| Fatal(format!("writing {}: {e}", args.output.display())))?;
    file.commit()?;
    println!(
        "read {} words; {} words clustered, in {}",
        corpus.tokens(),
        words.len(),
        args.output.display()
    );
    if skipped > 0 {
        eprintln!("actorgraph: {skipped} articles or files could not be read and were skipped");
    }
    Ok(Done::skipped_if(skipped > 0))
}
