//! Seeded randomness: SplitMix64 and a Zipf–Mandelbrot sampler on integers only.
//!
//! The generator promises byte-identical output for the same arguments, on every machine
//! and with every future build. A general-purpose crate's generators may change their
//! algorithm between versions (`rand`'s `StdRng` says so), and floating-point `powf`/`ln`
//! may round differently across platforms; so the generator is a fixed ten-line
//! SplitMix64 and the Zipf sampler works on integer cumulative weights.

/// SplitMix64 (Steele, Lea and Flood 2014): a small, fast, well-mixed 64-bit generator.
#[derive(Clone, Debug)]
pub struct SplitMix64 {
    state: u64,
}

const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;

/// The SplitMix64 output function: a bijective mix of 64 bits.
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A hash of a few integers, for seeding independent streams (`hash(&[seed, n])`).
pub fn hash(parts: &[u64]) -> u64 {
    parts.iter().fold(0x2545_f491_4f6c_dd1d, |acc, &p| {
        mix64(acc.wrapping_add(GOLDEN) ^ mix64(p.wrapping_add(GOLDEN)))
    })
}

impl SplitMix64 {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN);
        mix64(self.state)
    }

    /// A number in `0..n` (`n > 0`), by the multiply-shift method (bias below 2^-40 for
    /// the sizes used here).
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `lo..=hi` (`lo <= hi`).
    pub fn range_i64(&mut self, lo: i64, hi: i64) -> i64 {
        debug_assert!(lo <= hi);
        let width = hi.abs_diff(lo) + 1;
        lo.wrapping_add(self.below(width) as i64)
    }
}

/// Ranks `0..n` drawn with probability proportional to `1 / (rank + 1 + q)`: Zipf's law
/// with exponent 1, flattened at the head by `q` (Zipf–Mandelbrot), so a few items are
/// drawn very often and most rarely, as names are in news.
#[derive(Clone, Debug)]
pub struct Zipf {
    /// Cumulative integer weights; `cum[k]` is the total weight of ranks `0..=k`.
    cum: Vec<u64>,
}

impl Zipf {
    /// A sampler over `n >= 1` ranks with head flattening `q`.
    pub fn new(n: usize, q: u64) -> Zipf {
        let mut cum = Vec::with_capacity(n.max(1));
        let mut total = 0u64;
        for k in 0..n.max(1) as u64 {
            total += (1u64 << 40) / (k + 1 + q);
            cum.push(total);
        }
        Zipf { cum }
    }

    /// How many ranks there are.
    pub fn len(&self) -> usize {
        self.cum.len()
    }

    /// Whether there are no ranks (never: `new` makes at least one).
    pub fn is_empty(&self) -> bool {
        self.cum.is_empty()
    }

    /// The probability of rank `k`.
    pub fn probability(&self, k: usize) -> f64 {
        let prev = if k == 0 { 0 } else { self.cum[k - 1] };
        (self.cum[k] - prev) as f64 / *self.cum.last().unwrap_or(&1) as f64
    }

    /// Draws a rank.
    pub fn sample(&self, rng: &mut SplitMix64) -> usize {
        let total = *self.cum.last().unwrap_or(&1);
        let r = rng.below(total);
        self.cum.partition_point(|&c| c <= r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_is_the_reference_sequence() {
        // First outputs of SplitMix64 seeded with 1234567 (reference implementation).
        let mut r = SplitMix64::new(1_234_567);
        assert_eq!(r.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(r.next_u64(), 3_203_168_211_198_807_973);
    }

    #[test]
    fn below_and_range_stay_in_bounds() {
        let mut r = SplitMix64::new(7);
        for n in [1u64, 2, 3, 10, 1000] {
            for _ in 0..200 {
                assert!(r.below(n) < n);
            }
        }
        for _ in 0..200 {
            let x = r.range_i64(-3, 4);
            assert!((-3..=4).contains(&x));
        }
        assert_eq!(r.range_i64(5, 5), 5);
    }

    #[test]
    fn hash_separates_streams() {
        assert_ne!(hash(&[1, 2]), hash(&[2, 1]));
        assert_ne!(hash(&[1, 2]), hash(&[1, 3]));
        assert_eq!(hash(&[1, 2]), hash(&[1, 2]));
    }

    #[test]
    fn zipf_favours_low_ranks_and_covers_the_tail() {
        let z = Zipf::new(1000, 10);
        assert!(z.probability(0) > z.probability(1));
        assert!(z.probability(1) > z.probability(999));
        let sum: f64 = (0..1000).map(|k| z.probability(k)).sum();
        assert!((sum - 1.0).abs() < 1e-9);
        let mut r = SplitMix64::new(3);
        let mut counts = vec![0u32; 1000];
        for _ in 0..100_000 {
            counts[z.sample(&mut r)] += 1;
        }
        // Rank 0 has p = (1/11) / H, about 2.0%; rank 999 about 0.02%.
        assert!((1500..2600).contains(&counts[0]), "{}", counts[0]);
        assert!(counts[0] > 5 * counts[500]);
        assert!(counts[900..].iter().sum::<u32>() > 0);
    }
}
