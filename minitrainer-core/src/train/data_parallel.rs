//! The trainer's side of data parallelism (see [`TrainerBuilder::distributed`]): where the
//! ranks meet during `fit`, and what they agree on there.
//!
//! Every rank meets the others at three kinds of points, always in the same order: the start of
//! `fit` (then rank 0's weights are broadcast), each optimizer step (after the local backward,
//! before the update), and the end of `fit`. A meeting first agrees on failure
//! ([`agree_on_failure`]); then the ranks gather their position and numbers
//! ([`all_gather_f64`]), which also proves they are at the same point. A rank that fails
//! anywhere else (a callback, validation, a checkpoint write) shares its failure at the others'
//! next meeting, so no rank waits for one that stopped.
//!
//! [`TrainerBuilder::distributed`]: super::TrainerBuilder::distributed

use super::error::TrainError;
use super::options::OnNonFinite;
use super::trainable::Trainable;
use super::trainer::Trainer;
use crate::distributed::{
    Collective, DistributedError, GradientBuckets, SingleProcess, agree_on_failure, all_gather_f64,
    broadcast_parameters,
};
use crate::module::Param;

/// The trainer's rank group and what it needs between meetings.
pub(super) struct Ranks {
    pub(super) group: Box<dyn Collective + Send>,
    /// The gradient buckets (their size, and a buffer kept between steps).
    pub(super) buckets: GradientBuckets,
    /// Whether the current failure was already shared with the other ranks (at a meeting);
    /// cleared when `fit` starts.
    pub(super) failure_shared: bool,
}

impl Default for Ranks {
    fn default() -> Self {
        Ranks::new(Box::new(SingleProcess))
    }
}

impl Ranks {
    pub(super) fn new(group: Box<dyn Collective + Send>) -> Self {
        Ranks {
            group,
            buckets: GradientBuckets::default(),
            failure_shared: false,
        }
    }

    /// More than one rank: the meetings happen. With one, `fit` is the single-process loop.
    pub(super) fn is_distributed(&self) -> bool {
        self.group.world_size() > 1
    }
}

/// What kind of meeting the ranks are at (gathered, so a rank at another point is caught).
#[derive(Clone, Copy)]
enum Meeting {
    Start = 1,
    Step = 2,
    End = 3,
}

impl Meeting {
    fn name(code: f64) -> &'static str {
        match code as u8 {
            1 => "the start of fit",
            2 => "a step",
            3 => "the end of fit",
            _ => "an unknown point",
        }
    }
}

impl<M: Trainable> Trainer<M> {
    /// The start of `fit`: agreement, then rank 0's parameters and buffers on every rank.
    pub(super) fn start_ranks(&mut self) -> Result<(), TrainError> {
        if !self.ranks.is_distributed() {
            return Ok(());
        }
        self.meet(Meeting::Start, [0.0; 3])?;
        broadcast_parameters(&self.model, &*self.ranks.group).map_err(|e| self.shared(e))
    }

    /// The end of `fit`: no rank returns while another still trains or has failed.
    pub(super) fn finish_ranks(&mut self) -> Result<(), TrainError> {
        if self.ranks.is_distributed() {
            self.meet(Meeting::End, [0.0; 3])?;
        }
        Ok(())
    }

    /// The step's meeting, after the local forward and backward (`local`: the mean loss and
    /// the first non-finite one; `before`: the epoch's loss sum before this step). Returns
    /// the mean loss over the ranks (non-finite when any rank's was) and leaves every rank's
    /// gradients averaged, so every rank takes the same optimizer step.
    pub(super) fn agree_step(
        &mut self,
        local: Result<(f64, Option<f64>), TrainError>,
        before: (f64, u64),
        params: &[Param],
    ) -> Result<(f64, Option<f64>), TrainError> {
        let step = self.run.position.step + 1;
        let epoch = self.run.position.epoch;
        // Stopping on a non-finite loss is this rank's failure, shared with the others.
        let local = local.and_then(|(loss, bad)| match (bad, self.options.on_non_finite) {
            (Some(bad), OnNonFinite::Stop) => Err(TrainError::NonFiniteLoss {
                epoch,
                step,
                loss: bad,
            }),
            _ => Ok(loss),
        });
        let loss = match local {
            Ok(loss) => loss,
            Err(error) => {
                let _ = agree_on_failure(&*self.ranks.group, Some(&error.to_string()));
                self.ranks.failure_shared = true;
                return Err(error);
            }
        };
        let (sum, rows) = self.run.epoch_loss;
        let table = self.meet(
            Meeting::Step,
            [loss, sum - before.0, (rows - before.1) as f64],
        )?;
        let world_size = table.len() as f64;
        let global = table.iter().map(|row| row[3]).sum::<f64>() / world_size;
        self.run.epoch_loss = (
            before.0 + table.iter().map(|row| row[4]).sum::<f64>(),
            before.1 + table.iter().map(|row| row[5]).sum::<f64>() as u64,
        );
        if !global.is_finite() {
            return Ok((global, Some(global)));
        }
        let ranks = &mut self.ranks;
        let averaged = ranks.buckets.average(params, &*ranks.group);
        averaged.map_err(|e| self.shared(e))?;
        Ok((global, None))
    }

    /// Meets the other ranks: agrees on failure, then gathers `[kind, epoch, step, values..]`
    /// from every rank and checks they are all at the same point. Returns the table.
    fn meet(&mut self, kind: Meeting, values: [f64; 3]) -> Result<Vec<Vec<f64>>, TrainError> {
        let group = &*self.ranks.group;
        agree_on_failure(group, None).map_err(|e| self.shared(e))?;
        let position = self.run.position;
        let mine = [
            kind as u8 as f64,
            position.epoch as f64,
            (position.step + 1) as f64,
            values[0],
            values[1],
            values[2],
        ];
        let table = all_gather_f64(&*self.ranks.group, &mine).map_err(|e| self.shared(e))?;
        if table.iter().any(|row| row[..3] != table[0][..3]) {
            let detail = table
                .iter()
                .enumerate()
                .map(|(rank, row)| {
                    format!(
                        "rank {rank} at {} (epoch {}, step {})",
                        Meeting::name(row[0]),
                        row[1],
                        row[2] - 1.0
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            let detail = format!(
                "{detail}; give every rank the same number of batches (shard each rank's sampler with `Sampler::shard(rank, world_size)`)"
            );
            return Err(self.shared(DistributedError::OutOfStep { detail }));
        }
        Ok(table)
    }

    /// An error every rank has at the same point: nothing left to share.
    fn shared(&mut self, error: DistributedError) -> TrainError {
        self.ranks.failure_shared = true;
        TrainError::Distributed(error)
    }

    /// After `fit` failed on this rank: tells the other ranks at their next meeting, unless
    /// they know already (the failure came from a meeting).
    pub(super) fn share_failure(&mut self, error: &TrainError) {
        if self.ranks.is_distributed() && !self.ranks.failure_shared {
            self.ranks.failure_shared = true;
            let _ = agree_on_failure(&*self.ranks.group, Some(&error.to_string()));
        }
    }
}
