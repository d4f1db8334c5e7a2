//! Sizes in words, as the resource sliders' readouts write them: "512 MB", "1.5 GB", "0.5 vCPU".
//! Qovery's MB are binary (1024 MB = 1 GB), and so are Kubernetes' byte counts here.

fn trim(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Megabytes: "512 MB", "1 GB", "1.5 GB", "1.07 GB".
pub fn mb(mb: i64) -> String {
    if mb >= 1024 {
        format!("{} GB", trim(mb as f64 / 1024.0, 2))
    } else {
        format!("{mb} MB")
    }
}

/// Bytes, for a chart's readout: "498 MB", "1.2 GB", "800 KB".
pub fn bytes(bytes: f64) -> String {
    let mib = bytes / 1_048_576.0;
    if mib >= 1024.0 {
        format!("{} GB", trim(mib / 1024.0, 1))
    } else if mib >= 1.0 {
        format!("{} MB", mib.round())
    } else {
        format!("{} KB", (bytes / 1024.0).round())
    }
}

/// Bytes as whole MB, rounded up (a peak of 512.1 MB needs 513).
pub fn bytes_to_mb(bytes: f64) -> i64 {
    (bytes / 1_048_576.0).ceil() as i64
}

/// Millicores: "0.5 vCPU", "2 vCPU", "0.25 vCPU".
pub fn millicores(m: i64) -> String {
    format!("{} vCPU", trim(m as f64 / 1000.0, 2))
}

/// Cores (what a CPU rate measures), for a chart's readout: "0.25 vCPU", and below a tenth of a
/// core "12 millicores".
pub fn cores(cores: f64) -> String {
    if cores >= 0.1 {
        format!("{} vCPU", trim(cores, 2))
    } else {
        format!("{} millicores", (cores * 1000.0).round())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_the_sliders_write_them() {
        assert_eq!(mb(512), "512 MB");
        assert_eq!(mb(1024), "1 GB");
        assert_eq!(mb(1536), "1.5 GB");
        assert_eq!(mb(16_384), "16 GB");
        assert_eq!(mb(1100), "1.07 GB");
        assert_eq!(bytes(536_870_912.0), "512 MB");
        assert_eq!(bytes(522_190_848.0), "498 MB");
        assert_eq!(bytes(1_288_490_189.0), "1.2 GB");
        assert_eq!(bytes(819_200.0), "800 KB");
        assert_eq!(bytes_to_mb(536_870_912.0), 512);
        assert_eq!(bytes_to_mb(536_870_913.0), 513);
        assert_eq!(millicores(500), "0.5 vCPU");
        assert_eq!(millicores(2000), "2 vCPU");
        assert_eq!(millicores(250), "0.25 vCPU");
        assert_eq!(cores(0.25), "0.25 vCPU");
        assert_eq!(cores(1.0), "1 vCPU");
        assert_eq!(cores(0.012), "12 millicores");
    }
}
