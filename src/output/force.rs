//! A force-directed layout computed before the page opens, so that the HTML report draws
//! at once: the browser only places nodes where they are told, where a layout run in the
//! page would take seconds on a whole corpus's graph.
//!
//! Fruchterman and Reingold's method with their grid: nodes repel those in the cells
//! around them only, edges pull their ends together, and a pull towards the centre keeps
//! small components near the large one. Deterministic: the same graph gives the same
//! positions.

/// Ideal distance between neighbours, in the page's pixels.
const SPACING: f64 = 110.0;

/// How many rounds the layout runs.
const ROUNDS: usize = 300;

/// The pull towards the centre, as a share of the distance.
const GRAVITY: f64 = 0.02;

/// Positions for `count` nodes joined by `edges` (node indices and a weight), centred
/// on the origin. Heavier edges pull harder, with the logarithm of their weight.
pub fn layout(count: usize, edges: &[(usize, usize, u64)]) -> Vec<(f64, f64)> {
    if count == 0 {
        return Vec::new();
    }
    let mut degree = vec![0usize; count];
    for &(s, t, _) in edges {
        degree[s] += 1;
        degree[t] += 1;
    }
    // Start on a sunflower spiral, the best-connected nodes in the middle.
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by(|&a, &b| degree[b].cmp(&degree[a]).then(a.cmp(&b)));
    let mut position = vec![(0.0, 0.0); count];
    let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
    for (rank, &node) in order.iter().enumerate() {
        let radius = SPACING * 0.6 * (rank as f64).sqrt();
        let angle = rank as f64 * golden;
        position[node] = (radius * angle.cos(), radius * angle.sin());
    }
    let k = SPACING;
    let cell = 2.0 * k;
    let mut temperature = k * (count as f64).sqrt() / 4.0;
    let cooling = temperature / ROUNDS as f64;
    let mut shift = vec![(0.0, 0.0); count];
    let mut grid: std::collections::HashMap<(i64, i64), Vec<usize>> =
        std::collections::HashMap::new();
    for _ in 0..ROUNDS {
        grid.clear();
        let key = |(x, y): (f64, f64)| ((x / cell).floor() as i64, (y / cell).floor() as i64);
        for (node, &p) in position.iter().enumerate() {
            grid.entry(key(p)).or_default().push(node);
        }
        for (node, slot) in shift.iter_mut().enumerate() {
            let p = position[node];
            let (cx, cy) = key(p);
            let mut force = (-GRAVITY * p.0 * k / 10.0, -GRAVITY * p.1 * k / 10.0);
            for gx in cx - 1..=cx + 1 {
                for gy in cy - 1..=cy + 1 {
                    for &other in grid.get(&(gx, gy)).into_iter().flatten() {
                        if other == node {
                            continue;
                        }
                        let q = position[other];
                        let (mut dx, mut dy) = (p.0 - q.0, p.1 - q.1);
                        let mut distance = (dx * dx + dy * dy).sqrt();
                        if distance < 0.01 {
                            // Two nodes in one place: part them in a fixed direction.
                            (dx, dy, distance) = (0.01 * (node as f64).cos(), 0.01, 0.01);
                        }
                        if distance < cell {
                            let push = k * k / distance;
                            force.0 += dx / distance * push;
                            force.1 += dy / distance * push;
                        }
                    }
                }
            }
            *slot = force;
        }
        for &(s, t, weight) in edges {
            let (p, q) = (position[s], position[t]);
            let (dx, dy) = (p.0 - q.0, p.1 - q.1);
            let distance = (dx * dx + dy * dy).sqrt().max(0.01);
            let pull = distance * distance / k * (1.0 + (weight as f64).ln() / 2.0);
            let (fx, fy) = (dx / distance * pull, dy / distance * pull);
            shift[s].0 -= fx;
            shift[s].1 -= fy;
            shift[t].0 += fx;
            shift[t].1 += fy;
        }
        for (p, f) in position.iter_mut().zip(&shift) {
            let length = (f.0 * f.0 + f.1 * f.1).sqrt();
            if length > 0.0 {
                let step = length.min(temperature);
                p.0 += f.0 / length * step;
                p.1 += f.1 / length * step;
            }
        }
        temperature = (temperature - cooling).max(k / 20.0);
    }
    position
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
        ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
    }

    /// Neighbours end up closer than strangers, nobody sits on anybody, and the same
    /// graph gives the same picture.
    #[test]
    fn neighbours_are_close_and_nodes_apart() {
        // Two triangles joined by one edge, and a lone pair.
        let edges = [
            (0, 1, 1),
            (1, 2, 1),
            (2, 0, 1),
            (3, 4, 5),
            (4, 5, 1),
            (5, 3, 1),
            (2, 3, 1),
            (6, 7, 1),
        ];
        let position = layout(8, &edges);
        assert_eq!(position, layout(8, &edges));
        for a in 0..8 {
            assert!(position[a].0.is_finite() && position[a].1.is_finite());
            for b in a + 1..8 {
                assert!(
                    distance(position[a], position[b]) > SPACING / 4.0,
                    "{a} {b}"
                );
            }
        }
        let inside = distance(position[0], position[1]);
        let across = distance(position[0], position[4]);
        assert!(inside < across, "{inside} {across}");
        assert!(layout(0, &[]).is_empty());
        assert_eq!(layout(1, &[]).len(), 1);
    }
}
