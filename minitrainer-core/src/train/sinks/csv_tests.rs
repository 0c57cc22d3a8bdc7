use std::path::PathBuf;

use serde_json::json;

use super::*;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "minitrainer-csv-sink-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir.join("metrics.csv")
}

fn step(step: u64, loss: f64) -> Value {
    json!({"kind": "step", "epoch": 1, "step": step, "loss": loss, "lr": 0.01, "grad_norm": 1.5})
}

fn epoch(step: u64) -> Value {
    json!({"kind": "epoch", "epoch": 1, "step": step, "train_loss": 0.25, "lr": 0.01,
           "valid_loss": "NaN", "valid_accuracy": 0.75})
}

#[test]
fn rows_follow_the_fixed_header_and_late_keys_widen_the_file() -> io::Result<()> {
    let path = scratch("widen");
    let mut sink = CsvSink::create(&path)?;
    assert_eq!(
        std::fs::read_to_string(&path)?,
        "kind,epoch,step,loss,lr,grad_norm\n"
    );
    sink.write(&step(1, 0.5))?;
    sink.write(&step(2, 0.1 + 0.2))?;
    sink.write(&epoch(2))?;
    assert_eq!(
        std::fs::read_to_string(&path)?,
        "kind,epoch,step,loss,lr,grad_norm,train_loss,valid_loss,valid_accuracy\n\
         step,1,1,0.5,0.01,1.5,,,\n\
         step,1,2,0.30000000000000004,0.01,1.5,,,\n\
         epoch,1,2,,0.01,,0.25,NaN,0.75\n"
    );
    assert_eq!(sink.position(), Some(3));
    // A key seen only now (a skipped step) adds one more column.
    let mut skipped = step(3, 0.5);
    skipped["skipped"] = json!(true);
    sink.write(&skipped)?;
    let text = std::fs::read_to_string(&path)?;
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].ends_with(",valid_accuracy,skipped"));
    assert_eq!(lines[1], "step,1,1,0.5,0.01,1.5,,,,");
    assert_eq!(lines[4], "step,1,3,0.5,0.01,1.5,,,,true");
    assert_eq!(lines.len(), 5);
    Ok(())
}

#[test]
fn fields_with_commas_quotes_or_newlines_are_quoted_and_read_back() -> io::Result<()> {
    let path = scratch("quote");
    let mut sink = CsvSink::create(&path)?;
    sink.write(
        &json!({"kind": "epoch", "epoch": 1, "step": 4, "f1,macro": 0.5,
                       "note": "say \"hi\"\nthen go"}),
    )?;
    let text = std::fs::read_to_string(&path)?;
    assert_eq!(
        text,
        "kind,epoch,step,loss,lr,grad_norm,\"f1,macro\",note\n\
         epoch,1,4,,,,0.5,\"say \"\"hi\"\"\nthen go\"\n"
    );
    let ends = record_ends(&text);
    assert_eq!(ends.len(), 2, "the quoted newline does not end a record");
    let fields = parse_fields(text[ends[0]..ends[1]].trim_end_matches('\n'));
    assert_eq!(fields[6], "0.5");
    assert_eq!(fields[7], "say \"hi\"\nthen go");
    assert_eq!(sink.columns()[6], "f1,macro");
    Ok(())
}

#[test]
fn rewind_cuts_back_to_a_row_count_even_across_a_widening() -> io::Result<()> {
    let path = scratch("rewind");
    let mut sink = CsvSink::create(&path)?;
    sink.write(&step(1, 0.5))?;
    let checkpoint = sink.position().unwrap_or_default();
    sink.write(&step(2, 0.4))?;
    sink.write(&epoch(2))?;
    sink.rewind(checkpoint)?;
    sink.write(&step(2, 0.4))?;
    let text = std::fs::read_to_string(&path)?;
    assert_eq!(
        text.lines().skip(1).collect::<Vec<_>>(),
        ["step,1,1,0.5,0.01,1.5,,,", "step,1,2,0.4,0.01,1.5,,,"]
    );
    let error = sink.rewind(5).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::InvalidData);
    assert!(error.to_string().contains("the log has 2 rows"), "{error}");
    Ok(())
}

#[test]
fn append_reads_the_columns_back_and_continues() -> io::Result<()> {
    let path = scratch("append");
    let mut first = CsvSink::create(&path)?;
    first.write(&step(1, 0.5))?;
    first.write(&epoch(1))?;
    drop(first);
    let mut again = CsvSink::append(&path)?;
    assert_eq!(again.position(), Some(2));
    assert_eq!(again.columns().len(), 9);
    again.rewind(1)?;
    again.write(&epoch(1))?;
    let text = std::fs::read_to_string(&path)?;
    assert_eq!(text.lines().count(), 3);
    assert!(text.ends_with("epoch,1,1,,0.01,,0.25,NaN,0.75\n"));
    Ok(())
}

#[test]
fn append_ends_a_row_cut_short_and_creates_a_missing_file() -> io::Result<()> {
    let path = scratch("partial");
    std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))?;
    std::fs::write(&path, "kind,epoch,step,loss,lr,grad_norm\nstep,1,1,0.5,0.0")?;
    let mut sink = CsvSink::append(&path)?;
    assert_eq!(sink.position(), Some(1));
    sink.write(&step(2, 0.25))?;
    assert!(std::fs::read_to_string(&path)?.ends_with("0.0\nstep,1,2,0.25,0.01,1.5\n"));

    let fresh = scratch("missing");
    let sink = CsvSink::append(&fresh)?;
    assert_eq!(sink.position(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&fresh)?,
        "kind,epoch,step,loss,lr,grad_norm\n"
    );
    Ok(())
}

#[test]
fn append_refuses_a_file_that_is_not_a_metrics_csv() -> io::Result<()> {
    let path = scratch("foreign");
    std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))?;
    std::fs::write(&path, "name,value\nx,1\n")?;
    let error = CsvSink::append(&path).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::InvalidData);
    assert!(
        error.to_string().contains("is not a metrics CSV"),
        "{error}"
    );
    assert_eq!(std::fs::read_to_string(&path)?, "name,value\nx,1\n");
    Ok(())
}

#[test]
fn a_record_that_is_not_an_object_is_refused() -> io::Result<()> {
    let mut sink = CsvSink::create(scratch("array"))?;
    let error = sink.write(&json!([1, 2])).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
    assert_eq!(sink.position(), Some(0));
    Ok(())
}
