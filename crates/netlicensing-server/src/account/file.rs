//! The account file on disk: written line by line to `FILE.partial` and renamed to `FILE` once complete (so an
//! interrupted export never leaves a file that looks whole), or to standard output for `-`; read line by line
//! from a file or standard input.

use std::{
    fs::File,
    io::{BufRead, BufReader, BufWriter, Write},
    path::{Path, PathBuf},
};

use netlicensing_model::account::Line;

use super::AccountError;

/// Where an export goes.
pub struct Sink {
    out: Box<dyn Write>,
    /// The partial file and the final name (`None` for standard output).
    rename: Option<(PathBuf, PathBuf)>,
    bytes: u64,
}

impl Sink {
    /// A sink writing to `path` (`-`: standard output).
    pub fn create(path: &Path) -> Result<Sink, AccountError> {
        if path == Path::new("-") {
            return Ok(Sink { out: Box::new(BufWriter::new(std::io::stdout().lock())), rename: None, bytes: 0 });
        }
        let mut partial = path.as_os_str().to_owned();
        partial.push(".partial");
        let partial = PathBuf::from(partial);
        let file = File::create(&partial).map_err(|source| AccountError::Write { path: partial.clone(), source })?;
        Ok(Sink {
            out: Box::new(BufWriter::with_capacity(1 << 20, file)),
            rename: Some((partial, path.to_owned())),
            bytes: 0,
        })
    }

    /// Writes one line.
    pub fn write(&mut self, line: &Line) -> Result<(), AccountError> {
        let mut text = line.to_json();
        text.push('\n');
        self.bytes += text.len() as u64;
        self.out.write_all(text.as_bytes()).map_err(|source| self.error(source))
    }

    /// Flushes, and renames the partial file to its name; returns the bytes written.
    pub fn finish(mut self) -> Result<u64, AccountError> {
        self.out.flush().map_err(|source| self.error(source))?;
        drop(self.out);
        if let Some((partial, path)) = self.rename {
            std::fs::rename(&partial, &path).map_err(|source| AccountError::Write { path, source })?;
        }
        Ok(self.bytes)
    }

    fn error(&self, source: std::io::Error) -> AccountError {
        let path = self.rename.as_ref().map_or_else(|| PathBuf::from("-"), |(partial, _)| partial.clone());
        AccountError::Write { path, source }
    }
}

/// The lines of an account file, numbered from 1.
pub struct Lines {
    input: Box<dyn BufRead>,
    path: PathBuf,
    number: u64,
    buffer: String,
}

impl Lines {
    /// Opens `path` (`-`: standard input).
    pub fn open(path: &Path) -> Result<Lines, AccountError> {
        let input: Box<dyn BufRead> = if path == Path::new("-") {
            Box::new(BufReader::new(std::io::stdin().lock()))
        } else {
            let file = File::open(path).map_err(|source| AccountError::Read { path: path.to_owned(), source })?;
            Box::new(BufReader::with_capacity(1 << 20, file))
        };
        Ok(Lines { input, path: path.to_owned(), number: 0, buffer: String::new() })
    }

    /// The file's name.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The number of the line read last.
    pub fn number(&self) -> u64 {
        self.number
    }

    /// The next non-empty line, without its line break; `None` at the end.
    pub fn next_line(&mut self) -> Result<Option<&str>, AccountError> {
        loop {
            self.buffer.clear();
            let read = self
                .input
                .read_line(&mut self.buffer)
                .map_err(|source| AccountError::Read { path: self.path.clone(), source })?;
            if read == 0 {
                return Ok(None);
            }
            self.number += 1;
            if !self.buffer.trim().is_empty() {
                return Ok(Some(self.buffer.trim_end_matches(['\n', '\r'])));
            }
        }
    }
}
