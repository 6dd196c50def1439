//! Overlapping token windows for texts longer than the model's context, and
//! the merge of per-window scores back into one score row per token.
//!
//! A text of `n` content tokens is cut into windows of at most `cap` tokens
//! where neighbours share `overlap` tokens; the last window is aligned to the
//! end of the text so no window is needlessly short. Every token takes its
//! scores from the window in which it lies most centrally (farthest from
//! either window edge, the earlier window on a tie), because a token near a
//! window edge sees only one side of its context. Pure index arithmetic: no
//! tensors, no tokenizer.

use std::ops::Range;

/// Cut `n` tokens into windows of at most `cap` tokens overlapping by
/// `overlap` tokens (clamped to `cap / 2`, so every window keeps a central
/// region of its own). Empty for `n == 0`.
pub fn plan(n: usize, cap: usize, overlap: usize) -> Vec<Range<usize>> {
    let cap = cap.max(1);
    if n <= cap {
        return std::iter::once(0..n).filter(|r| !r.is_empty()).collect();
    }
    let step = cap - overlap.min(cap / 2);
    let mut out = Vec::with_capacity(n / step + 1);
    let mut start = 0;
    loop {
        if start + cap >= n {
            out.push(n - cap..n);
            break;
        }
        out.push(start..start + cap);
        start += step;
    }
    out
}

/// For every token `0..n`, the index of the window that owns it and the
/// token's position inside that window. `windows` must come from [`plan`]
/// (sorted, covering `0..n`).
pub fn owners(windows: &[Range<usize>], n: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(n);
    let mut first = 0;
    for i in 0..n {
        while first < windows.len() && windows[first].end <= i {
            first += 1;
        }
        let mut best: Option<(usize, usize)> = None;
        for (j, w) in windows.iter().enumerate().skip(first) {
            if w.start > i {
                break;
            }
            if i >= w.end {
                continue;
            }
            let centrality = (i - w.start).min(w.end - 1 - i);
            if best.is_none_or(|(_, c)| centrality > c) {
                best = Some((j, centrality));
            }
        }
        // `plan` covers every token, so a window always exists; fall back to
        // the last window defensively rather than panic.
        let j = best.map_or(windows.len().saturating_sub(1), |b| b.0);
        let start = windows.get(j).map_or(0, |w| w.start);
        out.push((j, i.saturating_sub(start)));
    }
    out
}

/// Merge per-window score rows (`window_scores[j]` holds `windows[j].len()`
/// rows of `width` floats, row-major) into `n` rows, one per token.
/// Missing rows (a malformed input) are filled with zeros.
pub fn merge(
    windows: &[Range<usize>],
    window_scores: &[Vec<f32>],
    n: usize,
    width: usize,
) -> Vec<f32> {
    let mut out = vec![0.0; n * width];
    for (i, (j, pos)) in owners(windows, n).into_iter().enumerate() {
        let src = window_scores
            .get(j)
            .and_then(|s| s.get(pos * width..(pos + 1) * width));
        if let (Some(src), Some(dst)) = (src, out.get_mut(i * width..(i + 1) * width)) {
            dst.copy_from_slice(src);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_texts_take_one_window() {
        assert!(plan(0, 30, 15).is_empty());
        assert_eq!(plan(7, 30, 15), vec![0..7]);
        assert_eq!(plan(30, 30, 15), vec![0..30]);
    }

    #[test]
    fn long_texts_overlap_and_end_aligned() {
        let w = plan(100, 30, 15);
        assert_eq!(w, vec![0..30, 15..45, 30..60, 45..75, 60..90, 70..100]);
        // Overlap is clamped to half a window.
        assert_eq!(
            plan(50, 10, 128),
            vec![
                0..10,
                5..15,
                10..20,
                15..25,
                20..30,
                25..35,
                30..40,
                35..45,
                40..50
            ]
        );
        for (n, cap, ov) in [(1000, 510, 128), (511, 510, 128), (33, 4, 1), (9, 1, 0)] {
            let w = plan(n, cap, ov);
            assert_eq!(w.first().map(|r| r.start), Some(0));
            assert_eq!(w.last().map(|r| r.end), Some(n));
            assert!(w.iter().all(|r| r.len() == cap));
            assert!(w
                .windows(2)
                .all(|p| p[0].start < p[1].start && p[1].start <= p[0].end));
        }
    }

    #[test]
    fn every_token_is_owned_by_its_most_central_window() {
        let w = plan(100, 30, 15);
        let own = owners(&w, 100);
        assert_eq!(own.len(), 100);
        assert_eq!(own[0], (0, 0));
        assert_eq!(own[99], (5, 29));
        // Token 30 is at the edge of window 2 but central in window 1.
        assert_eq!(own[30], (1, 15));
        // Token 22: 7 from the end of window 0 and 7 from the start of window 1: tie → earlier.
        assert_eq!(own[22], (0, 22));
        assert_eq!(own[23], (1, 8));
        for (i, &(j, pos)) in own.iter().enumerate() {
            assert_eq!(w[j].start + pos, i);
        }
    }

    #[test]
    fn merge_takes_rows_from_the_owning_window() {
        // Two windows over 6 tokens; window scores encode (window, position).
        let w = plan(6, 4, 2);
        assert_eq!(w, vec![0..4, 2..6]);
        let scores: Vec<Vec<f32>> = w
            .iter()
            .enumerate()
            .map(|(j, r)| (0..r.len()).flat_map(|p| [j as f32, p as f32]).collect())
            .collect();
        let m = merge(&w, &scores, 6, 2);
        let rows: Vec<(f32, f32)> = m.chunks(2).map(|c| (c[0], c[1])).collect();
        // Tokens 0,1 only in window 0; token 2: dist 1 vs 0 → window 0;
        // token 3: dist 0 vs 1 → window 1; tokens 4,5 only in window 1.
        assert_eq!(
            rows,
            vec![(0., 0.), (0., 1.), (0., 2.), (1., 1.), (1., 2.), (1., 3.)]
        );
        // A missing window leaves zeros instead of panicking.
        let m = merge(&w, &scores[..1], 6, 2);
        assert_eq!(&m[8..], &[0.0; 4]);
    }
}
