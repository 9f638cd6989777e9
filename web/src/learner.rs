//! What the page remembers of a learner, in local storage: a per-browser
//! seed that shuffles prediction choices (carried in links as `q=`, so a
//! shared link shows the same order), and progress per lesson (predictions
//! answered and right, challenges solved).

use std::collections::BTreeSet;

use crate::dom;

const SEED_KEY: &str = "replilab.shuffle";

/// This browser's shuffle seed, made on the first visit.
pub fn shuffle_seed() -> u32 {
    if let Some(s) = dom::storage_get(SEED_KEY).and_then(|s| s.parse().ok()) {
        return s;
    }
    let s = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
    dom::storage_set(SEED_KEY, &s.to_string());
    s
}

/// The order in which a prediction's `n` choices are shown: a permutation
/// fixed by the lesson, the step and the seed (Fisher-Yates over FNV-1a and
/// xorshift, so it is the same in every browser for the same inputs).
pub fn choice_order(lesson: &str, step: usize, n: usize, seed: u32) -> Vec<usize> {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in lesson
        .bytes()
        .chain((step as u64).to_le_bytes())
        .chain(seed.to_le_bytes())
    {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    let mut next = move || {
        h ^= h << 13;
        h ^= h >> 7;
        h ^= h << 17;
        h
    };
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order
}

/// A lesson's progress, by step index.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub answered: BTreeSet<usize>,
    pub right: BTreeSet<usize>,
    pub solved: BTreeSet<usize>,
}

fn key(lesson: &str) -> String {
    format!("replilab.progress.{lesson}")
}

impl Progress {
    /// Stored as `a=0.2;r=0;s=4` (step indices).
    pub fn encode(&self) -> String {
        let list = |s: &BTreeSet<usize>| {
            s.iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(".")
        };
        format!(
            "a={};r={};s={}",
            list(&self.answered),
            list(&self.right),
            list(&self.solved)
        )
    }

    /// Reads `encode`'s text; what cannot be read is left out.
    pub fn decode(text: &str) -> Progress {
        let mut p = Progress::default();
        for part in text.split(';') {
            let Some((k, v)) = part.split_once('=') else {
                continue;
            };
            let set = match k {
                "a" => &mut p.answered,
                "r" => &mut p.right,
                "s" => &mut p.solved,
                _ => continue,
            };
            set.extend(v.split('.').filter_map(|i| i.parse::<usize>().ok()));
        }
        p
    }

    pub fn load(lesson: &str) -> Progress {
        dom::storage_get(&key(lesson))
            .map(|t| Progress::decode(&t))
            .unwrap_or_default()
    }

    /// Stores it if it changed.
    pub fn save(&self, lesson: &str) {
        if Progress::load(lesson) != *self {
            dom::storage_set(&key(lesson), &self.encode());
        }
    }

    pub fn clear(lesson: &str) {
        dom::storage_remove(&key(lesson));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_are_permutations_that_depend_on_every_input() {
        let base = choice_order("split-brain", 2, 4, 7);
        let mut sorted = base.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, [0, 1, 2, 3]);
        assert_eq!(choice_order("split-brain", 2, 4, 7), base, "deterministic");
        let others = [
            choice_order("split-brain", 2, 4, 8),
            choice_order("split-brain", 3, 4, 7),
            choice_order("stale-read", 2, 4, 7),
        ];
        assert!(others.iter().any(|o| *o != base));
        assert_eq!(choice_order("x", 0, 0, 1), Vec::<usize>::new());
    }

    #[test]
    fn the_right_answer_lands_everywhere_over_seeds() {
        // Over many learners, the choice at file position 0 is shown at
        // each of 3 positions about a third of the time.
        let mut at = [0u32; 3];
        for seed in 0..3000 {
            let order = choice_order("lesson", 1, 3, seed);
            at[order.iter().position(|&c| c == 0).unwrap()] += 1;
        }
        assert!(at.iter().all(|&n| (850..1150).contains(&n)), "{at:?}");
    }

    #[test]
    fn progress_round_trips_and_ignores_garbage() {
        let p = Progress {
            answered: [0, 2, 5].into(),
            right: [2].into(),
            solved: [5].into(),
        };
        assert_eq!(p.encode(), "a=0.2.5;r=2;s=5");
        assert_eq!(Progress::decode(&p.encode()), p);
        assert_eq!(
            Progress::decode("zz;a=1.x.3;s=;q=9"),
            Progress {
                answered: [1, 3].into(),
                ..Progress::default()
            }
        );
    }
}
