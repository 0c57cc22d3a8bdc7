//! `LearningRates`: the seam between an optimizer and an LR scheduler.

/// The learning rates of an optimizer's parameter groups, one per group, in `f64` as PyTorch
/// keeps them. Optimizers implement it; schedulers read and set it, so a scheduler works with
/// any optimizer (and with a plain `Vec<f64>`, in tests).
pub trait LearningRates {
    /// The current learning rate of each group.
    fn learning_rates(&self) -> Vec<f64>;

    /// Sets the learning rate of each group.
    ///
    /// # Panics
    /// When `lrs` does not have one entry per group (a programming error).
    fn set_learning_rates(&mut self, lrs: &[f64]);
}

impl LearningRates for Vec<f64> {
    fn learning_rates(&self) -> Vec<f64> {
        self.clone()
    }

    fn set_learning_rates(&mut self, lrs: &[f64]) {
        assert_eq!(
            lrs.len(),
            self.len(),
            "set_learning_rates: {} rates for {} groups",
            lrs.len(),
            self.len()
        );
        self.copy_from_slice(lrs);
    }
}

impl<T: LearningRates + ?Sized> LearningRates for Box<T> {
    fn learning_rates(&self) -> Vec<f64> {
        (**self).learning_rates()
    }

    fn set_learning_rates(&mut self, lrs: &[f64]) {
        (**self).set_learning_rates(lrs);
    }
}
