//! `docker run …` as the user already has it, read into what a create form can take: the forms
//! fill themselves from a [`DockerRun`] and list what was ignored and why.
//!
//! The line is split shell-style (`shell-words`: quotes, escapes, `\` line continuations); flags
//! take their value as the next word or after `=`, and short flags combine (`-it`, `-p8080:80`).

/// A published port: `-p [ip:][host:]container[/proto]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publish {
    pub host: Option<u16>,
    pub container: u16,
    pub udp: bool,
}

/// A volume or mount: `-v [source:]target[:ro]`, `--mount type=…,source=…,target=…[,readonly]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub source: Option<String>,
    pub target: String,
    pub read_only: bool,
}

/// `--health-cmd` and its timings (seconds).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Health {
    pub cmd: Option<String>,
    pub interval_s: Option<u32>,
    pub timeout_s: Option<u32>,
    pub retries: Option<u32>,
}

/// A flag the line carried that the forms do not take, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignored {
    pub what: String,
    pub why: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DockerRun {
    /// The image without tag or digest: `nginx`, `ghcr.io/acme/api`, `localhost:5000/x`.
    pub image: String,
    pub tag: Option<String>,
    /// `sha256:…`, from `image@sha256:…`.
    pub digest: Option<String>,
    pub name: Option<String>,
    pub publish: Vec<Publish>,
    /// `-e KEY=value`; `-e KEY` (the value from the caller's environment) has `None`.
    pub env: Vec<(String, Option<String>)>,
    /// `--env-file` paths: named, never read.
    pub env_files: Vec<String>,
    pub entrypoint: Option<String>,
    /// The words after the image.
    pub args: Vec<String>,
    pub cpu_millis: Option<u32>,
    pub memory_mb: Option<u32>,
    pub mounts: Vec<Mount>,
    /// `no`, `always`, `on-failure[:n]`, `unless-stopped`.
    pub restart: Option<String>,
    /// `--gpus all` / `--gpus 2` / `--gpus device=…`: the count when one is given.
    pub gpus: Option<String>,
    pub health: Option<Health>,
    pub ignored: Vec<Ignored>,
}

/// Flags that take a value and that Berth reads; anything else with a value is skipped whole.
const VALUED: &[&str] = &[
    "-p",
    "--publish",
    "-e",
    "--env",
    "--env-file",
    "--entrypoint",
    "--cpus",
    "-m",
    "--memory",
    "-v",
    "--volume",
    "--mount",
    "--restart",
    "--name",
    "--gpus",
    "--health-cmd",
    "--health-interval",
    "--health-timeout",
    "--health-retries",
];

/// Docker flags with a value that Berth does not take (so their value is not read as the image).
const OTHER_VALUED: &[&str] = &[
    "-a",
    "--attach",
    "--add-host",
    "--cap-add",
    "--cap-drop",
    "--cgroup-parent",
    "--cidfile",
    "--cpu-period",
    "--cpu-quota",
    "--cpu-shares",
    "-c",
    "--cpuset-cpus",
    "--cpuset-mems",
    "--device",
    "--dns",
    "--dns-option",
    "--dns-search",
    "--domainname",
    "--expose",
    "--health-start-period",
    "-h",
    "--hostname",
    "--ip",
    "--ip6",
    "--ipc",
    "--isolation",
    "-l",
    "--label",
    "--label-file",
    "--link",
    "--log-driver",
    "--log-opt",
    "--mac-address",
    "--memory-reservation",
    "--memory-swap",
    "--memory-swappiness",
    "--network",
    "--net",
    "--network-alias",
    "--pid",
    "--pids-limit",
    "--platform",
    "--pull",
    "--runtime",
    "--security-opt",
    "--shm-size",
    "--stop-signal",
    "--stop-timeout",
    "--storage-opt",
    "--sysctl",
    "--tmpfs",
    "--ulimit",
    "-u",
    "--user",
    "--userns",
    "--uts",
    "--volumes-from",
    "-w",
    "--workdir",
];

/// Why a flag Berth does not take is left out.
fn why_ignored(flag: &str) -> &'static str {
    match flag {
        "--network" | "--net" | "--network-alias" | "--ip" | "--ip6" | "--link" | "--add-host"
        | "--dns" | "--dns-option" | "--dns-search" | "--mac-address" => {
            "the platform manages networking"
        }
        "-d" | "--detach" | "-i" | "--interactive" | "-t" | "--tty" | "--rm" | "-a"
        | "--attach" | "--sig-proxy" | "--init" => "only means something to a local docker",
        "--privileged" | "--cap-add" | "--cap-drop" | "--security-opt" | "-u" | "--user"
        | "--userns" | "--pid" | "--ipc" | "--uts" | "--device" | "--sysctl" => {
            "not supported by the platform"
        }
        "-w" | "--workdir" => "no working-directory field: set it in the image",
        "-l" | "--label" | "--label-file" => "docker labels are not platform labels",
        "--platform" | "--pull" => "the platform pulls the image itself",
        _ => "not supported by the form",
    }
}

/// Reads a `docker run` line (a leading `docker run` / `docker container run` / `podman run` is
/// optional). An error says what is wrong and where.
pub fn parse(line: &str) -> Result<DockerRun, String> {
    let words = shell_words::split(line).map_err(|e| format!("cannot split the line: {e}"))?;
    let mut words: std::collections::VecDeque<String> = words.into();
    for prefix in [["docker", "run"], ["podman", "run"]] {
        if words.front().map(String::as_str) == Some(prefix[0]) {
            words.pop_front();
            if words.front().map(String::as_str) == Some("container") {
                words.pop_front();
            }
            if words.front().map(String::as_str) == Some(prefix[1]) {
                words.pop_front();
            }
        }
    }
    let mut run = DockerRun::default();
    while let Some(word) = words.pop_front() {
        if word == "--" {
            continue;
        }
        if !word.starts_with('-') || word == "-" {
            parse_image(&word, &mut run)?;
            run.args = words.into_iter().collect();
            return Ok(run);
        }
        // `--flag=value`, `--flag value`, `-pVALUE`, `-it`, `-dp 80:80`.
        let (flag, inline) = if let Some(long) = word.strip_prefix("--") {
            match long.split_once('=') {
                Some((f, v)) => (format!("--{f}"), Some(v.to_string())),
                None => (word.clone(), None),
            }
        } else {
            let mut chars = word[1..].chars();
            let mut flag = None;
            let mut inline = None;
            while let Some(c) = chars.next() {
                let f = format!("-{c}");
                if VALUED.contains(&f.as_str()) || OTHER_VALUED.contains(&f.as_str()) {
                    let rest: String = chars.collect();
                    inline = (!rest.is_empty()).then(|| rest.trim_start_matches('=').to_string());
                    flag = Some(f);
                    break;
                }
                // A boolean short flag in a group (`-it`).
                ignore_bool(&f, &mut run);
            }
            match flag {
                Some(f) => (f, inline),
                None => continue,
            }
        };
        let takes_value = VALUED.contains(&flag.as_str()) || OTHER_VALUED.contains(&flag.as_str());
        if !takes_value {
            ignore_bool(&flag, &mut run);
            continue;
        }
        let value = match inline {
            Some(v) => v,
            None => words
                .pop_front()
                .ok_or_else(|| format!("{flag} needs a value"))?,
        };
        apply(&flag, value, &mut run)?;
    }
    Err("no image: a docker run line names its image after the flags".into())
}

fn ignore_bool(flag: &str, run: &mut DockerRun) {
    run.ignored.push(Ignored {
        what: flag.to_string(),
        why: why_ignored(flag).to_string(),
    });
}

fn apply(flag: &str, value: String, run: &mut DockerRun) -> Result<(), String> {
    match flag {
        "-p" | "--publish" => run.publish.push(parse_publish(&value)?),
        "-e" | "--env" => match value.split_once('=') {
            Some((k, v)) => run.env.push((k.to_string(), Some(v.to_string()))),
            None => run.env.push((value, None)),
        },
        "--env-file" => run.env_files.push(value),
        "--entrypoint" => run.entrypoint = Some(value),
        "--cpus" => {
            let cpus: f64 = value
                .parse()
                .ok()
                .filter(|c: &f64| c.is_finite() && *c > 0.0)
                .ok_or_else(|| format!("--cpus {value}: not a positive number of CPUs"))?;
            run.cpu_millis = Some((cpus * 1000.0).round() as u32);
        }
        "-m" | "--memory" => run.memory_mb = Some(parse_memory(&value)?),
        "-v" | "--volume" => run.mounts.push(parse_volume(&value)?),
        "--mount" => run.mounts.push(parse_mount(&value)?),
        "--restart" => run.restart = Some(value),
        "--name" => run.name = Some(value),
        "--gpus" => run.gpus = Some(value),
        "--health-cmd" => run.health.get_or_insert_with(Health::default).cmd = Some(value),
        "--health-interval" => {
            run.health.get_or_insert_with(Health::default).interval_s =
                Some(parse_seconds(flag, &value)?)
        }
        "--health-timeout" => {
            run.health.get_or_insert_with(Health::default).timeout_s =
                Some(parse_seconds(flag, &value)?)
        }
        "--health-retries" => {
            run.health.get_or_insert_with(Health::default).retries = Some(
                value
                    .parse()
                    .map_err(|_| format!("--health-retries {value}: not a whole number"))?,
            )
        }
        other => run.ignored.push(Ignored {
            what: format!("{other} {value}"),
            why: why_ignored(other).to_string(),
        }),
    }
    Ok(())
}

/// `nginx`, `nginx:1.27`, `localhost:5000/acme/api:2`, `redis@sha256:…`.
fn parse_image(word: &str, run: &mut DockerRun) -> Result<(), String> {
    let (rest, digest) = match word.split_once('@') {
        Some((r, d)) => (r, Some(d.to_string())),
        None => (word, None),
    };
    // A `:` after the last `/` is the tag; before it, a registry port.
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (image, tag) = match rest[last_slash..].rfind(':') {
        Some(i) => (
            &rest[..last_slash + i],
            Some(rest[last_slash + i + 1..].to_string()),
        ),
        None => (rest, None),
    };
    if image.is_empty() || tag.as_deref() == Some("") {
        return Err(format!("image `{word}`: not an image name"));
    }
    run.image = image.to_string();
    run.tag = tag;
    run.digest = digest;
    Ok(())
}

fn parse_port(text: &str, what: &str) -> Result<u16, String> {
    text.parse::<u16>()
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| format!("{what}: `{text}` is not a port from 1 to 65535"))
}

/// `80`, `8080:80`, `127.0.0.1:8080:80`, `53:53/udp`.
fn parse_publish(value: &str) -> Result<Publish, String> {
    let what = format!("-p {value}");
    let (spec, proto) = match value.rsplit_once('/') {
        Some((s, p)) => (s, p),
        None => (value, "tcp"),
    };
    let udp = match proto {
        "tcp" => false,
        "udp" => true,
        other => return Err(format!("{what}: protocol `{other}` is neither tcp nor udp")),
    };
    if spec.contains('-') {
        return Err(format!(
            "{what}: port ranges are not supported, publish each port"
        ));
    }
    let parts: Vec<&str> = spec.rsplitn(3, ':').collect();
    let container = parse_port(parts[0], &what)?;
    let host = match parts.get(1) {
        Some(h) if !h.is_empty() => Some(parse_port(h, &what)?),
        _ => None,
    };
    Ok(Publish {
        host,
        container,
        udp,
    })
}

/// `512m`, `2g`, `1024k`, `268435456` (bytes) → MB.
fn parse_memory(value: &str) -> Result<u32, String> {
    let lower = value.to_ascii_lowercase();
    let lower = lower.trim_end_matches('b');
    let (num, mult): (&str, f64) = match lower.chars().last() {
        Some('k') => (&lower[..lower.len() - 1], 1.0 / 1024.0),
        Some('m') => (&lower[..lower.len() - 1], 1.0),
        Some('g') => (&lower[..lower.len() - 1], 1024.0),
        Some('t') => (&lower[..lower.len() - 1], 1024.0 * 1024.0),
        _ => (lower, 1.0 / (1024.0 * 1024.0)),
    };
    let n: f64 = num
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite() && *n > 0.0)
        .ok_or_else(|| format!("--memory {value}: not an amount such as 512m or 2g"))?;
    Ok((n * mult).round().max(1.0) as u32)
}

/// `30s`, `1m30s`, `500ms`, `2h` → whole seconds (at least 1).
fn parse_seconds(flag: &str, value: &str) -> Result<u32, String> {
    let bad = || format!("{flag} {value}: not a duration such as 30s or 1m30s");
    let mut total = 0.0;
    let mut number = String::new();
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let n: f64 = number.parse().map_err(|_| bad())?;
        number.clear();
        total += match c {
            'h' => n * 3600.0,
            'm' if chars.peek() == Some(&'s') => {
                chars.next();
                n / 1000.0
            }
            'm' => n * 60.0,
            's' => n,
            _ => return Err(bad()),
        };
    }
    if !number.is_empty() {
        return Err(bad());
    }
    Ok((total.round() as u32).max(1))
}

/// `/data`, `name:/data`, `/host/path:/data:ro`.
fn parse_volume(value: &str) -> Result<Mount, String> {
    let parts: Vec<&str> = value.split(':').collect();
    let (source, target, opts) = match parts.as_slice() {
        [t] => (None, *t, ""),
        [s, t] => (Some(*s), *t, ""),
        [s, t, o] => (Some(*s), *t, *o),
        _ => return Err(format!("-v {value}: expected [source:]target[:options]")),
    };
    if !target.starts_with('/') {
        return Err(format!(
            "-v {value}: the target `{target}` is not an absolute path"
        ));
    }
    Ok(Mount {
        source: source.map(str::to_string),
        target: target.to_string(),
        read_only: opts.split(',').any(|o| o == "ro"),
    })
}

/// `type=volume,source=data,target=/data,readonly`.
fn parse_mount(value: &str) -> Result<Mount, String> {
    let mut mount = Mount {
        source: None,
        target: String::new(),
        read_only: false,
    };
    for part in value.split(',') {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        match k {
            "source" | "src" => mount.source = Some(v.to_string()),
            "target" | "destination" | "dst" => mount.target = v.to_string(),
            "readonly" | "ro" => mount.read_only = v.is_empty() || v == "true" || v == "1",
            _ => {}
        }
    }
    if !mount.target.starts_with('/') {
        return Err(format!("--mount {value}: needs target=/an/absolute/path"));
    }
    Ok(mount)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_world_lines() {
        let r = parse("docker run -d --name web -p 8080:80 nginx:1.27").expect("parses");
        assert_eq!(
            (r.image.as_str(), r.tag.as_deref()),
            ("nginx", Some("1.27"))
        );
        assert_eq!(r.name.as_deref(), Some("web"));
        assert_eq!(
            r.publish,
            [Publish {
                host: Some(8080),
                container: 80,
                udp: false
            }]
        );
        assert_eq!(r.ignored[0].what, "-d");

        // Line continuations, quotes, `=` forms, combined short flags, udp, digests.
        let r = parse(
            "docker run -it --rm \\\n  -e \"GREETING=hello world\" --env=MODE=prod -e TOKEN \\\n  -p53:53/udp --publish=127.0.0.1:9000:9000 \\\n  --cpus 1.5 -m 512m --memory-swap 1g \\\n  ghcr.io/acme/api@sha256:abc123 serve --port 9000",
        )
        .expect("parses");
        assert_eq!(r.image, "ghcr.io/acme/api");
        assert_eq!(r.digest.as_deref(), Some("sha256:abc123"));
        assert_eq!(r.tag, None);
        assert_eq!(
            r.env,
            [
                ("GREETING".into(), Some("hello world".into())),
                ("MODE".into(), Some("prod".into())),
                ("TOKEN".into(), None)
            ]
        );
        assert_eq!(
            r.publish[0],
            Publish {
                host: Some(53),
                container: 53,
                udp: true
            }
        );
        assert_eq!(
            r.publish[1],
            Publish {
                host: Some(9000),
                container: 9000,
                udp: false
            }
        );
        assert_eq!((r.cpu_millis, r.memory_mb), (Some(1500), Some(512)));
        assert_eq!(r.args, ["serve", "--port", "9000"]);
        let ignored: Vec<&str> = r.ignored.iter().map(|i| i.what.as_str()).collect();
        assert_eq!(ignored, ["-i", "-t", "--rm", "--memory-swap 1g"]);

        let r = parse(
            "docker run --entrypoint /bin/sh -v data:/var/lib/data -v /etc/x:/etc/x:ro \
             --mount type=volume,source=cache,target=/cache,readonly --restart=on-failure:3 \
             --gpus all --network host --health-cmd 'curl -f http://localhost/ || exit 1' \
             --health-interval 30s --health-timeout 5s --health-retries 3 -m 2g \
             --env-file ./prod.env localhost:5000/team/tool -c 'echo hi'",
        )
        .expect("parses");
        assert_eq!(r.image, "localhost:5000/team/tool");
        assert_eq!(r.tag, None);
        assert_eq!(r.entrypoint.as_deref(), Some("/bin/sh"));
        assert_eq!(r.args, ["-c", "echo hi"]);
        assert_eq!(r.mounts.len(), 3);
        assert_eq!(
            r.mounts[1],
            Mount {
                source: Some("/etc/x".into()),
                target: "/etc/x".into(),
                read_only: true
            }
        );
        assert_eq!(
            r.mounts[2],
            Mount {
                source: Some("cache".into()),
                target: "/cache".into(),
                read_only: true
            }
        );
        assert_eq!(r.restart.as_deref(), Some("on-failure:3"));
        assert_eq!(r.gpus.as_deref(), Some("all"));
        assert_eq!(r.memory_mb, Some(2048));
        assert_eq!(r.env_files, ["./prod.env"]);
        let h = r.health.expect("health");
        assert_eq!(
            h.cmd.as_deref(),
            Some("curl -f http://localhost/ || exit 1")
        );
        assert_eq!(
            (h.interval_s, h.timeout_s, h.retries),
            (Some(30), Some(5), Some(3))
        );
        let network = r
            .ignored
            .iter()
            .find(|i| i.what == "--network host")
            .expect("ignored");
        assert_eq!(network.why, "the platform manages networking");

        // Without the `docker run` prefix, and podman's.
        assert_eq!(parse("redis:7.4").expect("bare").image, "redis");
        assert_eq!(
            parse("podman run -p 80 docker.io/library/nginx")
                .expect("podman")
                .publish[0]
                .host,
            None
        );
        assert_eq!(
            parse("docker container run -dp 3000:3000 app")
                .expect("-dp")
                .publish[0]
                .container,
            3000
        );
    }

    #[test]
    fn mistakes_say_what_and_where() {
        for (line, needle) in [
            ("docker run -p", "-p needs a value"),
            (
                "docker run -p 80:99999 nginx",
                "-p 80:99999: `99999` is not a port",
            ),
            ("docker run -p 80/sctp nginx", "protocol `sctp`"),
            ("docker run -p 8000-8010:8000-8010 nginx", "port ranges"),
            ("docker run --cpus lots nginx", "--cpus lots"),
            ("docker run -m 12parsecs nginx", "--memory 12parsecs"),
            ("docker run -v relative:dir nginx", "not an absolute path"),
            (
                "docker run --health-interval soon nginx",
                "--health-interval soon",
            ),
            ("docker run -d", "no image"),
            ("docker run 'unclosed nginx", "cannot split"),
            ("docker run nginx:", "not an image name"),
        ] {
            let err = parse(line).expect_err(line);
            assert!(err.contains(needle), "{line}: {err}");
        }
    }

    #[test]
    fn durations_and_sizes() {
        assert_eq!(parse_seconds("f", "1m30s"), Ok(90));
        assert_eq!(parse_seconds("f", "500ms"), Ok(1));
        assert_eq!(parse_seconds("f", "2h"), Ok(7200));
        assert_eq!(parse_memory("1024k"), Ok(1));
        assert_eq!(parse_memory("268435456"), Ok(256));
        assert_eq!(parse_memory("1.5G"), Ok(1536));
    }
}
