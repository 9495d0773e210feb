//! Fault injection: random throttling and server errors from a (seedable)
//! RNG, and a requests-per-second limit.

use std::sync::Mutex;

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

/// A fault to answer a request with instead of serving it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// `--throttle-rate`: ThrottlingException.
    Throttle,
    /// `--max-tps`: LimitExceededException "Rate exceeded".
    RateExceeded,
    /// `--error-rate`: HTTP 500.
    ServerError,
}

#[derive(Debug)]
pub struct Faults {
    throttle_rate: f64,
    error_rate: f64,
    max_tps: Option<u32>,
    rng: Mutex<SmallRng>,
    /// The current one-second window and the requests admitted in it.
    window: Mutex<(u64, u32)>,
}

impl Faults {
    pub fn new(
        throttle_rate: f64,
        error_rate: f64,
        seed: Option<u64>,
        max_tps: Option<u32>,
    ) -> Faults {
        let rng = match seed {
            Some(seed) => SmallRng::seed_from_u64(seed),
            None => SmallRng::from_entropy(),
        };
        Faults {
            throttle_rate,
            error_rate,
            max_tps,
            rng: Mutex::new(rng),
            window: Mutex::new((0, 0)),
        }
    }

    /// Decides whether the request arriving at `now` (epoch milliseconds) fails.
    pub fn check(&self, now: u64) -> Option<Fault> {
        if let Some(max) = self.max_tps {
            let second = now / 1000;
            let mut window = self.window.lock().unwrap_or_else(|e| e.into_inner());
            if window.0 != second {
                *window = (second, 0);
            }
            if window.1 >= max {
                return Some(Fault::RateExceeded);
            }
            window.1 += 1;
        }
        if self.throttle_rate <= 0.0 && self.error_rate <= 0.0 {
            return None;
        }
        let draw: f64 = self.rng.lock().unwrap_or_else(|e| e.into_inner()).gen();
        if draw < self.throttle_rate {
            Some(Fault::Throttle)
        } else if draw < self.throttle_rate + self.error_rate {
            Some(Fault::ServerError)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draws(faults: &Faults) -> Vec<Option<Fault>> {
        (0..200).map(|_| faults.check(0)).collect()
    }

    #[test]
    fn a_seed_makes_faults_repeatable_and_rates_hold() {
        let a = draws(&Faults::new(0.3, 0.2, Some(7), None));
        assert_eq!(a, draws(&Faults::new(0.3, 0.2, Some(7), None)));
        let throttled = a.iter().filter(|f| **f == Some(Fault::Throttle)).count();
        let errors = a.iter().filter(|f| **f == Some(Fault::ServerError)).count();
        assert!((40..=80).contains(&throttled), "{throttled}");
        assert!((20..=60).contains(&errors), "{errors}");
    }

    #[test]
    fn tps_limit_resets_each_second() {
        let faults = Faults::new(0.0, 0.0, None, Some(3));
        let first: Vec<_> = (0..5).map(|_| faults.check(10_200)).collect();
        assert_eq!(first.iter().filter(|f| f.is_none()).count(), 3);
        assert_eq!(first[4], Some(Fault::RateExceeded));
        assert_eq!(faults.check(11_000), None);
    }
}
