//! A tiny HTTP/1.1 client for single timed requests (one connection each, `Connection: close`).

use std::{
    io::{Read, Write},
    net::{SocketAddr, TcpStream},
    time::{Duration, Instant},
};

/// Basic authentication of the demo vendor (`demo:demo`).
pub const DEMO_AUTH: &str = "Basic ZGVtbzpkZW1v";

/// One answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Answer {
    /// Status code.
    pub status: u16,
    /// From sending the request to the end of the answer.
    pub elapsed: Duration,
}

/// Sends one request (a form body for POST) as the demo vendor and reads the whole answer, within `timeout`.
pub fn request(addr: &str, method: &str, path: &str, body: Option<&str>, timeout: Duration) -> Result<Answer, String> {
    request_as(addr, DEMO_AUTH, method, path, body, timeout)
}

/// [`request_as`] answered in `accept` (`application/json`, `application/xml`), returning the answer's body too.
pub fn request_text(
    addr: &str,
    (auth, accept): (&str, &str),
    method: &str,
    path: &str,
    body: Option<&str>,
    timeout: Duration,
) -> Result<(u16, String), String> {
    let reply = exchange(addr, (auth, accept), method, path, body, timeout)?;
    Ok((reply.status, reply.body))
}

/// [`request`] with another `Authorization` value.
pub fn request_as(
    addr: &str,
    auth: &str,
    method: &str,
    path: &str,
    body: Option<&str>,
    timeout: Duration,
) -> Result<Answer, String> {
    exchange(addr, (auth, "application/json"), method, path, body, timeout)
        .map(|reply| Answer { status: reply.status, elapsed: reply.elapsed })
}

fn exchange(
    addr: &str,
    (auth, accept): (&str, &str),
    method: &str,
    path: &str,
    body: Option<&str>,
    timeout: Duration,
) -> Result<Reply, String> {
    send(addr, method, path, &[("Authorization", auth), ("Accept", accept)], body, timeout)
}

/// One answer with its head (status line and headers) and body.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// From connecting to the end of the answer.
    pub elapsed: Duration,
    /// The status line and headers, without the blank line after them.
    pub head: String,
    /// The body as sent (a chunked body is not decoded).
    pub body: String,
}

impl Reply {
    /// The values of every header of that name (any case), in order.
    pub fn headers(&self, name: &str) -> Vec<&str> {
        header_values(&self.head, name)
    }
}

/// Sends one request with these headers (besides `Host` and `Connection: close`) and a form body, if given, and
/// reads the whole answer within `timeout`.
pub fn send(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
    timeout: Duration,
) -> Result<Reply, String> {
    let socket: SocketAddr = addr.parse().map_err(|e| format!("address {addr}: {e}"))?;
    let started = Instant::now();
    let deadline = started + timeout;
    let mut stream = TcpStream::connect_timeout(&socket, timeout).map_err(|e| format!("connect {addr}: {e}"))?;
    stream.set_write_timeout(Some(timeout)).map_err(|e| e.to_string())?;
    let mut text = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("Connection: close\r\n");
    if let Some(body) = body {
        text.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
        text.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    } else {
        text.push_str("\r\n");
    }
    stream.write_all(text.as_bytes()).map_err(|e| format!("{method} {path}: {e}"))?;
    let answer = read_until_closed(&mut stream, deadline).map_err(|e| format!("{method} {path}: {e}"))?;
    let elapsed = started.elapsed();
    let status = status_code(&answer).ok_or_else(|| format!("{method} {path}: no status line"))?;
    let answer = String::from_utf8_lossy(&answer);
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    Ok(Reply { status, elapsed, head: head.to_owned(), body: body.to_owned() })
}

/// The values of every header of that name (any case) in an answer's head, in order.
pub fn header_values<'a>(head: &'a str, name: &str) -> Vec<&'a str> {
    head.lines()
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .filter(|(key, _)| key.trim().eq_ignore_ascii_case(name))
        .map(|(_, value)| value.trim())
        .collect()
}

/// Reads until the server closes the connection or the deadline passes.
fn read_until_closed(stream: &mut TcpStream, deadline: Instant) -> Result<Vec<u8>, String> {
    let (mut answer, mut buffer) = (Vec::new(), [0u8; 64 * 1024]);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err("timed out".into());
        }
        stream.set_read_timeout(Some(left)).map_err(|e| e.to_string())?;
        match stream.read(&mut buffer) {
            Ok(0) => return Ok(answer),
            Ok(n) => answer.extend_from_slice(&buffer[..n]),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                return Err("timed out".into());
            }
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// The status code of an answer's status line.
fn status_code(answer: &[u8]) -> Option<u16> {
    let line = answer.split(|b| *b == b'\n').next()?;
    std::str::from_utf8(line).ok()?.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_status_line() {
        assert_eq!(status_code(b"HTTP/1.1 404 Not Found\r\n\r\n"), Some(404));
        assert_eq!(status_code(b"garbage"), None);
    }

    #[test]
    fn finds_headers_in_any_case() {
        let head = "HTTP/1.1 303 See Other\r\nset-cookie: a=1; Path=/\r\nLocation: /console\r\nSet-Cookie: b=2";
        assert_eq!(header_values(head, "Set-Cookie"), ["a=1; Path=/", "b=2"]);
        assert_eq!(header_values(head, "location"), ["/console"]);
        assert!(header_values(head, "HTTP/1.1 303 See Other").is_empty(), "the status line is no header");
    }
}
