# Profiles the Kopernik table over 10,000 loaded rows in headless Chromium (chromedriver + CDP).
# Usage, from the repository root, on a build with wasm function names:
#   BERTH_PROFILE=1 cargo xtask dist && cargo build -p berth-sandbox
#   python3 tools/profile-table.py target/dist target/debug/berth-sandbox [search|sort|probe]
# search/sort: median time per keystroke/click and the self and total time per function;
# probe: medians without the profiler (for A/B runs of two builds), and DOM-only baselines.
import json, os, socket, subprocess, sys, time, urllib.request, collections, shutil

dist, sandbox, what = sys.argv[1], sys.argv[2], (sys.argv[3] if len(sys.argv) > 3 else "search")
def free():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p
sp, dp = free(), free()
data = f"/tmp/berth-prof-{sp}"; shutil.rmtree(data, ignore_errors=True)
sb = subprocess.Popen([sandbox, "--listen", f"127.0.0.1:{sp}", "--data", data, "--dist", dist, "--demo", "--demo-apps", "10000"], stdout=subprocess.DEVNULL)
drv = subprocess.Popen(["/usr/bin/chromedriver", f"--port={dp}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(3)
D = f"http://127.0.0.1:{dp}"
def call(method, path, body=None):
    req = urllib.request.Request(D + path, method=method, data=json.dumps(body).encode() if body is not None else None, headers={"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(req, timeout=300).read())["value"]
try:
    caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900", f"--user-data-dir=/tmp/berth-prof-chrome-{dp}"]}}}}
    sid = call("POST", "/session", caps)["sessionId"]
    S = f"/session/{sid}"
    js = lambda script, args=[]: call("POST", S + "/execute/sync", {"script": script, "args": args})
    cdp = lambda cmd, params={}: call("POST", S + "/goog/cdp/execute", {"cmd": cmd, "params": params})
    call("POST", S + "/url", {"url": f"http://127.0.0.1:{sp}/k/sandbox/aws?max=1000"})
    for _ in range(60):
        t = js("return document.querySelector('.berth-count')?.textContent ?? ''")
        if "10005 loaded" in t: break
        js("const b=[...document.querySelectorAll('button')].find(b=>b.textContent==='Load more'); if (b) b.click();")
        time.sleep(1.0)
    print("loaded:", js("return document.querySelector('.berth-count')?.textContent"))
    timer = """
      const [watch, action] = arguments; const t0 = performance.now();
      return new Promise(done => { const before = document.querySelector(watch)?.textContent;
        const obs = new MutationObserver(() => { if (document.querySelector(watch)?.textContent !== before) { obs.disconnect(); done(performance.now() - t0); } });
        obs.observe(document.querySelector('main'), {characterData: true, subtree: true, childList: true});
        (new Function(action))(); });"""
    def typ(t): return f"const i=document.querySelector('input[type=search]'); i.value={json.dumps(t)}; i.dispatchEvent(new Event('input',{{bubbles:true}}));"
    if what=="probe":
        def med(xs): xs=sorted(xs); return round(xs[len(xs)//2],2)
        full=[]
        for term in ["api-9","nginx","off","203.0.115","whoami-1","us-east-1","m6i","redis","t3.medium","postgres"]*2:
            full.append(js(timer, [".berth-count", typ(term)])); js(timer, [".berth-count", typ("")])
        print("search keystroke median", med(full), sorted(round(x,1) for x in full))
        sync=[]
        for term in ["api-9","nginx","off","203.0.115","whoami-1","us-east-1","m6i","redis","t3.medium","postgres"]*2:
            sync.append(js("const i=document.querySelector('input[type=search]'); i.value=arguments[0]; const t0=performance.now(); i.dispatchEvent(new Event('input',{bubbles:true})); return performance.now()-t0;", [term])); time.sleep(0.05)
            js(timer, [".berth-count", typ("")])
        print("input handler alone (sync part)", med(sync))
        srt=[js(timer, ["table tbody tr td", "document.querySelector('th button.berth-sort').click();"]) for _ in range(12)]
        print("sort click median", med(srt), sorted(round(x,1) for x in srt))
        dom = js("""const tb=document.querySelector('table tbody'); const rows=[...tb.querySelectorAll('tr')];
          const out=[]; for (let k=0;k<10;k++){ const clones=rows.map(r=>r.cloneNode(true)); const t0=performance.now();
          rows.forEach(r=>r.remove()); clones.forEach(c=>tb.appendChild(c)); document.body.offsetHeight; const t1=performance.now();
          clones.forEach(c=>c.remove()); rows.forEach(r=>tb.appendChild(r)); out.push(t1-t0);} return out;""")
        print("DOM swap 50 cloned rows (+ forced layout)", med(dom), [round(x,2) for x in dom])
        dom2 = js("""const tb=document.querySelector('table tbody'); const rows=[...tb.querySelectorAll('tr')];
          const out=[]; for (let k=0;k<10;k++){ const t0=performance.now();
          const fresh = rows.map(r=>{ const tr=document.createElement('tr'); for (const td of r.children){ const d=document.createElement('td'); d.setAttribute('class','x'); d.appendChild(document.createTextNode(td.textContent)); tr.appendChild(d);} return tr;});
          rows.forEach(r=>r.remove()); fresh.forEach(c=>tb.appendChild(c)); const t1=performance.now();
          fresh.forEach(c=>c.remove()); rows.forEach(r=>tb.appendChild(r)); out.push(t1-t0);} return out;""")
        print("DOM build+swap 50 rows from JS (no layout)", med(dom2))
        rs = js("""const out=[]; for (let k=0;k<20;k++){ const t0=performance.now(); history.replaceState(history.state,'',location.pathname+'?max=1000&q=x'+k); out.push(performance.now()-t0);} history.replaceState(history.state,'',location.pathname+'?max=1000'); return out;""")
        print("replaceState", med(rs))
        cnt = js("return document.querySelectorAll('main *').length")
        print("elements in main", cnt, "per row", js("return document.querySelector('table tbody tr').querySelectorAll('*').length"))
    else:
        cdp("Profiler.enable"); cdp("Profiler.setSamplingInterval", {"interval": 50}); cdp("Profiler.start")
        times = []
        for rep in range(3):
            if what == "search":
                for term in ["api-9", "nginx", "off", "203.0.115", "whoami-1", "us-east-1", "m6i", "redis", "t3.medium", "postgres"]:
                    times.append(js(timer, [".berth-count", typ(term)])); js(timer, [".berth-count", typ("")])
            else:
                for _ in range(6):
                    times.append(js(timer, ["table tbody tr td", "document.querySelector('th button.berth-sort').click();"]))
        prof = cdp("Profiler.stop")["profile"]
        times.sort(); print("median ms:", times[len(times)//2], "all:", [round(t,1) for t in times])
        nodes = {n["id"]: n for n in prof["nodes"]}
        dt = collections.Counter()
        for sid_, d in zip(prof["samples"], prof["timeDeltas"]): dt[sid_] += d
        selft = collections.Counter(); total = collections.Counter()
        parent = {}
        for n in prof["nodes"]:
            for c in n.get("children", []): parent[c] = n["id"]
        for nid, d in dt.items():
            n = nodes[nid]; name = n["callFrame"]["functionName"] or "(anon " + n["callFrame"]["url"][-30:] + ")"
            selft[name] += d
            seen = set(); x = nid
            while x in nodes:
                nm = nodes[x]["callFrame"]["functionName"] or "(anon)"
                if nm not in seen: total[nm] += d; seen.add(nm)
                x = parent.get(x)
        busy = sum(d for n, d in selft.items() if n not in ("(idle)", "(program)"))
        print(f"busy {busy/1000:.1f} ms")
        print("--- self"); [print(f"{v/1000:8.1f} ms  {k[:150]}") for k, v in selft.most_common(45)]
        print("--- total"); [print(f"{v/1000:8.1f} ms  {k[:150]}") for k, v in total.most_common(70)]
        out = f"target/profile-{what}.cpuprofile"; json.dump(prof, open(out, "w")); print("profile written to", out, "(open it in Chrome DevTools, Performance panel)")
finally:
    try: call("DELETE", S)
    except Exception: pass
    drv.kill(); sb.kill()
