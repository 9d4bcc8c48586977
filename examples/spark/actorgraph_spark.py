#!/usr/bin/env python3
"""Run actorgraph over a corpus on Spark: extract on the executors, graph on the driver.

    python actorgraph_spark.py --binary target/release/actorgraph \\
        --input 'corpus/*.jsonl.gz' --output out [--master local[*]] [--partitions N]
        [--threads 1] [--gazetteer extra.tsv ...]

(or the same arguments after `spark-submit actorgraph_spark.py`, without --master).

The map step ships the binary to every executor with `SparkContext.addFile` and pipes
each partition of JSON Lines through

    actorgraph extract - -o - --error-records --threads T

with `RDD.pipe`. Every input line comes back as one line: an article record, or an
error record {"error": ..., "file": "-", "line": N} for an article that could not be read
(`line` counts lines within the partition). A bad article therefore never fails the
task; the job writes

    OUTPUT/records/part-*   article records (the articles.jsonl of each partition)
    OUTPUT/errors/part-*    error records
    OUTPUT/graph/           nodes.csv, edges.csv, graph.dot, ... from `actorgraph graph`

The reduce step runs `actorgraph graph OUTPUT/records/part-* -o OUTPUT/graph` on the
driver: merging records does not depend on their order, so the graph is the one a single
`actorgraph extract` over the whole corpus would draw. It streams the records and holds
only the graph, whose size grows with the number of distinct actors and edges.

Paths are local or on a file system that the driver can list (the reduce step reads the
record files with the binary, so OUTPUT must be a local or mounted path).
"""
import argparse
import glob
import os
import shlex
import subprocess
import sys


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", required=True, help="the actorgraph binary (Linux, same "
                    "architecture as the executors)")
    ap.add_argument("--input", required=True, action="append",
                    help="JSON Lines files, plain or .gz (a glob or a folder); repeatable")
    ap.add_argument("--output", required=True, help="output folder (must not exist)")
    ap.add_argument("--master", default=None,
                    help="Spark master, e.g. local[*] (default: what spark-submit says)")
    ap.add_argument("--partitions", type=int, default=0,
                    help="repartition the input into N partitions (default: as read; a .gz "
                    "file is one partition, since gzip cannot be split)")
    ap.add_argument("--threads", type=int, default=1,
                    help="actorgraph threads per task (default 1: Spark runs one task per "
                    "core)")
    ap.add_argument("--gazetteer", action="append", default=[],
                    help="extra gazetteer or rule file, shipped to the executors; repeatable")
    return ap.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    from pyspark import SparkFiles
    from pyspark.sql import SparkSession

    binary = os.path.abspath(args.binary)
    output = os.path.abspath(args.output)
    if os.path.exists(output):
        sys.exit(f"{output} exists; choose a new output folder")

    builder = SparkSession.builder.appName("actorgraph")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    try:
        sc.addFile(binary)
        for gazetteer in args.gazetteer:
            sc.addFile(os.path.abspath(gazetteer))

        # Executors find added files in their working directory; in local mode the one
        # executor lives in the driver and finds them under SparkFiles' root.
        def shipped(path):
            name = os.path.basename(path)
            return SparkFiles.get(name) if sc.master.startswith("local") else "./" + name

        command = [shipped(binary), "extract", "-", "-o", "-", "--error-records",
                   "--threads", str(args.threads)]
        for gazetteer in args.gazetteer:
            command += ["--gazetteer", shipped(gazetteer)]

        lines = sc.textFile(",".join(args.input))
        if args.partitions > 0:
            lines = lines.repartition(args.partitions)
        # checkCode: a status other than 0 (a broken gazetteer, a crash) fails the task;
        # bad articles do not, they come back as error records.
        out = lines.pipe(shlex.join(command), checkCode=True)
        out.cache()
        out.filter(lambda line: not line.startswith('{"error":')) \
            .saveAsTextFile(os.path.join(output, "records"))
        out.filter(lambda line: line.startswith('{"error":')) \
            .saveAsTextFile(os.path.join(output, "errors"))
        articles = out.count()
    finally:
        spark.stop()

    parts = sorted(glob.glob(os.path.join(output, "records", "part-*")))
    reduce = [binary, "graph", *parts, "-o", os.path.join(output, "graph")]
    for gazetteer in args.gazetteer:
        reduce += ["--gazetteer", os.path.abspath(gazetteer)]
    subprocess.run(reduce, check=True)
    errors = sum(1 for part in glob.glob(os.path.join(output, "errors", "part-*"))
                 for _ in open(part, encoding="utf-8"))
    print(f"actorgraph on Spark: {articles - errors} article records, {errors} error records; "
          f"graph in {os.path.join(output, 'graph')}", file=sys.stderr)


if __name__ == "__main__":
    main()
