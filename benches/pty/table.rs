//! Samples per figure and the table they are printed as.

use std::time::Duration;

#[derive(Clone, Copy)]
pub enum Unit {
    Millis,
    Mebibytes,
    Bytes,
}

pub struct Figure {
    pub name: String,
    unit: Unit,
    samples: Vec<f64>,
}

impl Figure {
    pub fn new(name: impl Into<String>, unit: Unit) -> Figure {
        Figure {
            name: name.into(),
            unit,
            samples: Vec::new(),
        }
    }

    pub fn add_duration(&mut self, d: Duration) {
        self.samples.push(d.as_secs_f64() * 1000.0);
    }

    pub fn add_kib(&mut self, kib: u64) {
        self.samples.push(kib as f64 / 1024.0);
    }

    pub fn add(&mut self, value: f64) {
        self.samples.push(value);
    }

    fn sorted(&self) -> Vec<f64> {
        let mut sorted = self.samples.clone();
        sorted.sort_by(f64::total_cmp);
        sorted
    }

    fn median(sorted: &[f64]) -> f64 {
        let mid = sorted.len() / 2;
        if sorted.len().is_multiple_of(2) {
            (sorted[mid - 1] + sorted[mid]) / 2.0
        } else {
            sorted[mid]
        }
    }

    fn show(&self, value: f64) -> String {
        match self.unit {
            Unit::Millis => format!("{value:.1} ms"),
            Unit::Mebibytes => format!("{value:.1} MiB"),
            Unit::Bytes => format!("{value:.0} B"),
        }
    }
}

/// A Markdown table, ready to paste into BENCHMARKS.md.
pub fn print(figures: &[Figure]) {
    println!("| figure | median | min | max | runs |");
    println!("|---|---|---|---|---|");
    for figure in figures.iter().filter(|f| !f.samples.is_empty()) {
        let sorted = figure.sorted();
        let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
        println!(
            "| {} | {} | {} | {} | {} |",
            figure.name,
            figure.show(Figure::median(&sorted)),
            figure.show(min),
            figure.show(max),
            sorted.len()
        );
    }
}
