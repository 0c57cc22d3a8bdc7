//! An error on one rank stops every rank with that error, wherever it happens (in a step, in a
//! callback between steps, in the data), and ranks out of step are caught — never a hang
//! (`on_ranks` fails the test after a timeout).

use minitrainer::distributed::{Collective, DistributedError};
use minitrainer::train::{
    Callback, CallbackError, EpochRecord, HookResult, OnNonFinite, TrainContext, TrainError,
    TrainerOptions,
};

use super::{Snapshots, Spoiled, builder, on_ranks, train_shard, valid};

/// The error of a rank that did not fail itself: rank `failed` failed, with `message`.
fn assert_rank_failed(error: &TrainError, failed: usize, message: &str) {
    match error {
        TrainError::Distributed(DistributedError::RankFailed {
            rank,
            message: text,
        }) => {
            assert_eq!(*rank, failed, "{error}");
            assert!(text.contains(message), "{text}");
        }
        other => panic!("expected rank {failed}'s failure, got {other:?}"),
    }
}

#[test]
fn a_nan_on_one_ranks_data_stops_both_ranks_with_that_error() {
    let results = on_ranks(2, |group| {
        let rank = group.rank();
        let mut trainer = builder(group).epochs(2).build().expect("valid trainer");
        let train = Spoiled {
            inner: train_shard(rank, 2, 32),
            at: if rank == 1 { 5 } else { usize::MAX },
            nan: true,
        };
        let error = trainer.fit(&train, None).expect_err("rank 1's loss is NaN");
        (error, trainer.position().step)
    });
    let (own, step) = &results[1];
    assert!(
        matches!(own, TrainError::NonFiniteLoss { epoch: 1, step: 6, loss } if loss.is_nan()),
        "{own:?}"
    );
    assert_eq!(*step, 5);
    assert_rank_failed(&results[0].0, 1, "the loss is NaN at epoch 1, step 6");
    assert_eq!(results[0].1, 5, "rank 0 stopped before the update too");
}

#[test]
fn a_nan_on_one_rank_skipped_is_skipped_on_every_rank() {
    let results = on_ranks(2, |group| {
        let rank = group.rank();
        let snapshots = Snapshots::default();
        let options = TrainerOptions {
            on_non_finite: OnNonFinite::Skip,
            ..TrainerOptions::default()
        };
        let mut trainer = builder(group)
            .options(options)
            .callback(snapshots.clone())
            .build()
            .expect("valid trainer");
        let train = Spoiled {
            inner: train_shard(rank, 2, 32),
            at: if rank == 0 { 3 } else { usize::MAX },
            nan: true,
        };
        trainer
            .fit(&train, Some(&valid()))
            .expect("the step is skipped");
        snapshots.take()
    });
    assert_eq!(results[0].len(), 1437 / 64);
    for (step, (a, b)) in results[0].iter().zip(&results[1]).enumerate() {
        assert!(a.1 == b.1, "step {}: parameters differ", step + 1);
        assert_eq!(a.0.is_nan(), step == 3, "step {}: loss {}", step + 1, a.0);
    }
    assert!(
        results[0][3].1 == results[0][2].1,
        "the skipped step changed nothing"
    );
}

#[test]
fn a_loader_error_on_rank_0_stops_rank_1() {
    let results = on_ranks(2, |group| {
        let rank = group.rank();
        let mut trainer = builder(group).build().expect("valid trainer");
        let train = Spoiled {
            inner: train_shard(rank, 2, 32),
            at: if rank == 0 { 2 } else { usize::MAX },
            nan: false,
        };
        trainer.fit(&train, None).expect_err("rank 0's data fails")
    });
    assert!(
        matches!(results[0], TrainError::Data { .. }),
        "{:?}",
        results[0]
    );
    assert_rank_failed(&results[1], 0, "injected failure");
}

/// Fails at the end of epoch `epoch` on this rank.
struct FailAtEpochEnd(u64);

impl Callback for FailAtEpochEnd {
    fn name(&self) -> &str {
        "fail"
    }
    fn on_epoch_end(&mut self, _ctx: &mut TrainContext<'_>, record: &EpochRecord) -> HookResult {
        if record.epoch == self.0 {
            return Err(CallbackError::failed("fail", "the callback gives up"));
        }
        Ok(())
    }
}

#[test]
fn a_callback_failing_between_steps_on_one_rank_stops_the_others() {
    for at in [1, 3] {
        // Epoch 1: the others meet the failure at their next step; epoch 3 is the last, so
        // they meet it at the end of fit.
        let results = on_ranks(3, move |group| {
            let rank = group.rank();
            let fail = FailAtEpochEnd(if rank == 2 { at } else { 0 });
            let mut trainer = builder(group)
                .callback(fail)
                .epochs(3)
                .build()
                .expect("valid trainer");
            trainer
                .fit(&train_shard(rank, 3, 16), None)
                .expect_err("rank 2 fails")
        });
        assert!(
            matches!(results[2], TrainError::Callback(_)),
            "{:?}",
            results[2]
        );
        assert_rank_failed(&results[0], 2, "the callback gives up");
        assert_rank_failed(&results[1], 2, "the callback gives up");
    }
}

#[test]
fn ranks_with_different_numbers_of_batches_are_caught() {
    let results = on_ranks(2, |group| {
        let rank = group.rank();
        let mut trainer = builder(group).epochs(2).build().expect("valid trainer");
        // Rank 1 unsharded: twice rank 0's batches.
        let world = if rank == 1 { 1 } else { 2 };
        trainer.fit(&train_shard(rank.min(world - 1), world, 32), None)
    });
    for result in results {
        let error = result.expect_err("out of step");
        assert!(
            matches!(
                error,
                TrainError::Distributed(DistributedError::OutOfStep { .. })
            ),
            "{error:?}"
        );
        assert!(error.to_string().contains("Sampler::shard"), "{error}");
    }
}

#[test]
fn bad_options_on_one_rank_stop_the_others_at_the_start() {
    let results = on_ranks(2, |group| {
        let rank = group.rank();
        let mut trainer = builder(group).build().expect("valid trainer");
        if rank == 1 {
            trainer.options_mut().epochs = 0; // and no max_steps: refused by fit
        }
        trainer
            .fit(&train_shard(rank, 2, 32), None)
            .expect_err("rank 1 refuses")
    });
    assert!(
        matches!(results[1], TrainError::Options { .. }),
        "{:?}",
        results[1]
    );
    assert_rank_failed(&results[0], 1, "max_steps");
}

/// Panics after step `at` on this rank.
struct PanicAtStep(u64);

impl Callback for PanicAtStep {
    fn name(&self) -> &str {
        "panic"
    }
    fn on_batch_end(
        &mut self,
        _ctx: &mut TrainContext<'_>,
        step: &minitrainer::train::StepRecord,
    ) -> HookResult {
        assert_ne!(step.step, self.0, "the rank's thread panics");
        Ok(())
    }
}

#[test]
fn a_rank_that_panics_stops_the_others_with_peer_gone() {
    let results = on_ranks(2, |group| {
        let rank = group.rank();
        let at = if rank == 1 { 4 } else { 0 };
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
            // The trainer (and its rank) is dropped while the panic unwinds.
            let mut trainer = builder(group)
                .callback(PanicAtStep(at))
                .build()
                .expect("valid trainer");
            trainer.fit(&train_shard(rank, 2, 32), None).map(drop)
        }));
        outcome.map_err(|_| "panicked")
    });
    assert!(results[1].is_err(), "rank 1 panicked");
    let error = results[0]
        .as_ref()
        .expect("no panic")
        .as_ref()
        .expect_err("rank 1 left");
    assert!(
        matches!(
            error,
            TrainError::Distributed(DistributedError::PeerGone { rank: 1, .. })
        ),
        "{error:?}"
    );
}
