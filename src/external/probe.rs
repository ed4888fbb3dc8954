//! Asking one URL whether it answers: HEAD, then GET when HEAD is refused or fails
//! (many servers answer HEAD wrongly), following redirects, within a timeout.

use std::time::Duration;

/// What a URL answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// 2xx, after redirects.
    Ok(u16),
    /// An HTTP status that is no success.
    Status(u16),
    /// No answer within the timeout.
    Timeout,
    /// No HTTP answer at all: unknown host, refused connection, TLS failure, too many
    /// redirects.
    Failed(String),
}

pub fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(10)
        .user_agent(concat!(
            "kembar/",
            env!("CARGO_PKG_VERSION"),
            " (source link check)"
        ))
        .build()
        .into()
}

pub fn probe(agent: &ureq::Agent, url: &str) -> Answer {
    let head = answer(agent.head(url).call());
    match head {
        Answer::Ok(_) | Answer::Timeout => head,
        // The GET's body is not read: its status is the answer.
        _ => answer(agent.get(url).call()),
    }
}

fn answer(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
    match r {
        Ok(resp) if resp.status().is_success() => Answer::Ok(resp.status().as_u16()),
        Ok(resp) => Answer::Status(resp.status().as_u16()),
        Err(ureq::Error::Timeout(_)) => Answer::Timeout,
        Err(ureq::Error::Io(e)) if e.kind() == std::io::ErrorKind::TimedOut => Answer::Timeout,
        Err(ureq::Error::HostNotFound) => Answer::Failed("the host name does not exist".into()),
        Err(ureq::Error::TooManyRedirects) => {
            Answer::Failed("it redirects more than 10 times".into())
        }
        Err(e) => Answer::Failed(e.to_string()),
    }
}
