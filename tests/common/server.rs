//! A running `scimfacts serve` for tests, and a minimal HTTP/1.1 and Server-Sent Events client
//! over plain TCP (enough for tests, and no HTTP client dependency).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`
    pub addr: String,
    pub url: String,
    output: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Starts `scimfacts serve --port 0` on `root` and waits (at most 30 s) for its URL.
    pub fn start(root: &Path, extra: &[&str]) -> Server {
        Server::start_on_day(root, super::TODAY_EPOCH, extra)
    }

    /// `start`, with "today" at `epoch` (seconds).
    pub fn start_on_day(root: &Path, epoch: &str, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_scimfacts"))
            .args(["serve", "--port", "0", "--root", root.to_str().unwrap()])
            .args(extra)
            .env("SOURCE_DATE_EPOCH", epoch)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let output = Arc::clone(&output);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    output.lock().unwrap().push(line);
                }
            });
        }
        let mut server = Server {
            child,
            addr: String::new(),
            url: String::new(),
            output,
        };
        let url = wait_for(Duration::from_secs(30), || {
            server
                .lines()
                .iter()
                .find_map(|l| {
                    l.split(" at ")
                        .nth(1)
                        .and_then(|rest| rest.split(' ').next())
                })
                .map(str::to_owned)
        })
        .unwrap_or_else(|| panic!("serve printed no URL:\n{}", server.lines().join("\n")));
        server.addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        server.url = url;
        server
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Everything the server printed so far, stdout and stderr interleaved.
    pub fn lines(&self) -> Vec<String> {
        self.output.lock().unwrap().clone()
    }

    /// Waits until the server prints a line containing `text` after the first `skip` lines.
    pub fn wait_for_line(&self, skip: usize, text: &str) -> String {
        wait_for(Duration::from_secs(20), || {
            self.lines()
                .into_iter()
                .skip(skip)
                .find(|l| l.contains(text))
        })
        .unwrap_or_else(|| panic!("no line with {text:?}:\n{}", self.lines().join("\n")))
    }

    pub fn get(&self, path: &str) -> Response {
        http_get(&self.addr, path)
    }

    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Response {
        http_request(&self.addr, method, path, headers)
    }

    pub fn events(&self) -> EventStream {
        EventStream::open(&self.addr)
    }

    /// Sends SIGINT, as Ctrl-C does, and waits (at most 10 s) for the exit status.
    pub fn interrupt(self) -> Option<i32> {
        self.signal("-INT")
    }

    /// Sends `signal` (as `kill` spells it, e.g. `-TERM`) and waits up to 10 s for the exit code.
    pub fn signal(mut self, signal: &str) -> Option<i32> {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args([signal, &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Calls `probe` every 20 ms until it returns something or `limit` passes.
pub fn wait_for<T>(limit: Duration, mut probe: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(found) = probe() {
            return Some(found);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One GET, with the path sent exactly as given (no normalising of `..`).
pub fn http_get(addr: &str, path: &str) -> Response {
    http_request(addr, "GET", path, &[])
}

/// One request with `method` and the extra `headers` (e.g. `Range`), the path sent as given.
pub fn http_request(addr: &str, method: &str, path: &str, headers: &[(&str, &str)]) -> Response {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let extra: String = headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{extra}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> Response {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut body = raw[split + 4..].to_vec();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&data[..end])
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = end + 2;
        out.extend_from_slice(&data[start..start + size]);
        data = &data[start + size + 2..];
    }
    out
}

/// An open Server-Sent Events connection.
pub struct EventStream {
    reader: BufReader<TcpStream>,
}

impl EventStream {
    pub fn open(addr: &str) -> EventStream {
        let mut stream = TcpStream::connect(addr).unwrap();
        write!(
            stream,
            "GET /__scimfacts/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let mut reader = BufReader::new(stream);
        // Skip the response head.
        let mut line = String::new();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(_) if line == "\r\n" => break,
                Ok(_) => {}
                Err(_) => {}
            }
        }
        EventStream { reader }
    }

    /// The next event's name and data, waiting at most `limit`.
    pub fn next_event(&mut self, limit: Duration) -> Option<(String, String)> {
        let deadline = Instant::now() + limit;
        let (mut name, mut data) = (String::new(), String::new());
        let mut line = String::new();
        while Instant::now() < deadline {
            line.clear();
            match self.reader.read_line(&mut line) {
                Ok(0) => return None,
                Ok(_) => {
                    // Chunked framing lines (sizes) and keep-alive comments are skipped.
                    let text = line.trim_end_matches(['\r', '\n']);
                    if let Some(value) = text.strip_prefix("event:") {
                        name = value.trim().to_owned();
                    } else if let Some(value) = text.strip_prefix("data:") {
                        data.push_str(value.trim_start());
                    } else if text.is_empty() && !name.is_empty() {
                        return Some((name, data));
                    }
                }
                Err(_) => {}
            }
        }
        None
    }

    /// Waits for an event called `name`, skipping others.
    pub fn expect(&mut self, name: &str, limit: Duration) -> String {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some((event, data)) = self.next_event(deadline - Instant::now())
                && event == name
            {
                return data;
            }
        }
        panic!("no {name:?} event within {limit:?}");
    }
}
