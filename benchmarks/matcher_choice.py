"""Compare pyahocorasick and ahocorasick_rs for the matcher's exact operation.

Measures, side by side in one run, both Aho-Corasick libraries on ~70 Chinese
policy-vocabulary patterns over ~20 MB (UTF-8) of lowercased text built by
concatenating seeds/*.txt and repeating it. The text is split into
~10,000-character chunks (documents are matched one at a time) and, per chunk,
ALL matches -- overlapping ones included -- are produced as
(start_char, end_char_exclusive, pattern_index) tuples (Python str indexes).
For reference, each library's native leftmost-longest, non-overlapping mode is
also timed. Both libraries must agree on every chunk (asserted).

Reports build time, scan time (best of 3 runs), MB/s (MB = 10**6 bytes of
UTF-8 text) and number of matches. Standalone: stdlib + the two libraries.

Run from the repo root:  .venv/bin/python benchmarks/matcher_choice.py
"""
import glob
import importlib.metadata as md
import os
import platform
import subprocess
import sys
import time

import ahocorasick
from ahocorasick_rs import AhoCorasick, Implementation, MatchKind

PATTERNS = """量子科技 生物制造 氢能 核聚变能 核聚变 可控核聚变 脑机接口 具身智能 第六代移动通信 6g
未来制造 未来信息 未来材料 未来能源 未来空间 未来健康 元宇宙 量子信息 人形机器人 生成式人工智能
未来显示 未来网络 新型储能 太空制造 原子级制造 太赫兹 人工智能 ai 新质生产力 未来产业 战略性新兴产业
新兴产业 传统产业 集成电路 数字经济 现代化产业体系 高质量发展 科技创新 产业创新 新型举国体制 科技金融
耐心资本 专精特新 独角兽企业 高新技术企业 科技领军企业 关键核心技术 揭榜挂帅 中试 区块链 机器人
新一代信息技术 智能网联汽车 移动互联网 5g 4g 量子计算 类脑智能 低空经济 商业航天 合成生物 超导
工业互联网 智能制造 先进制造业 十五五 十四五 一带一路 营商环境 绿色低碳""".split()
TARGET_BYTES = 20 * 10**6
CHUNK_CHARS = 10_000
RUNS = 3
SEEDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "seeds", "*.txt")


def cpu_model():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_chunks():
    files = sorted(glob.glob(SEEDS))
    base = "\n".join(open(f, encoding="utf-8").read() for f in files).lower()
    reps = -(-TARGET_BYTES // len(base.encode("utf-8")))  # ceil
    text = "\n".join([base] * reps)
    chunks = [text[i:i + CHUNK_CHARS] for i in range(0, len(text), CHUNK_CHARS)]
    return files, text, chunks


# --- builders: return a callable chunk -> list[(start, end_excl, pattern_index)]
def build_py(longest):
    auto = ahocorasick.Automaton()  # unicode build: str in, char indexes out
    for i, p in enumerate(PATTERNS):
        auto.add_word(p, (i, len(p)))
    auto.make_automaton()
    it = auto.iter_long if longest else auto.iter
    return lambda s: [(e + 1 - n, e + 1, i) for e, (i, n) in it(s)]


def build_rs(longest, impl=None):
    kind = MatchKind.LeftmostLongest if longest else MatchKind.Standard
    ac = AhoCorasick(PATTERNS, matchkind=kind, store_patterns=False, implementation=impl)
    find = ac.find_matches_as_indexes
    return lambda s: [(a, b, i) for i, a, b in find(s, overlapping=not longest)]


def best_of(fn, *args):
    best, result = float("inf"), None
    for _ in range(RUNS):
        t0 = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - t0)
    return best, result


def scan(match, chunks):
    return [match(c) for c in chunks]


def main():
    files, text, chunks = load_chunks()
    nbytes = len(text.encode("utf-8"))
    print(f"machine : {cpu_model()} | {os.cpu_count()} cores | {platform.machine()} | "
          f"{platform.system()} {platform.release()}")
    print(f"python  : {platform.python_implementation()} {sys.version.split()[0]}")
    print(f"libs    : pyahocorasick {md.version('pyahocorasick')} (unicode={bool(ahocorasick.unicode)}), "
          f"ahocorasick_rs {md.version('ahocorasick_rs')}")
    print(f"data    : {len(PATTERNS)} patterns; {len(files)} seed files -> {nbytes / 1e6:.1f} MB, "
          f"{len(text):,} chars, {len(chunks)} chunks of {CHUNK_CHARS:,} chars; best of {RUNS}\n")

    configs = [
        ("overlapping", "pyahocorasick iter", lambda: build_py(False)),
        ("overlapping", "ahocorasick_rs (auto impl)", lambda: build_rs(False)),
        ("overlapping", "ahocorasick_rs DFA", lambda: build_rs(False, Implementation.DFA)),
        ("overlapping", "ahocorasick_rs ContiguousNFA", lambda: build_rs(False, Implementation.ContiguousNFA)),
        ("overlapping", "ahocorasick_rs NoncontiguousNFA",
         lambda: build_rs(False, Implementation.NoncontiguousNFA)),
        ("leftmost-longest", "pyahocorasick iter_long", lambda: build_py(True)),
        ("leftmost-longest", "ahocorasick_rs LeftmostLongest", lambda: build_rs(True)),
        ("leftmost-longest", "ahocorasick_rs LeftmostLongest DFA", lambda: build_rs(True, Implementation.DFA)),
    ]
    print(f"{'mode':<17} {'library / config':<35} {'build ms':>9} {'scan s':>8} {'MB/s':>8} {'matches':>10}")
    reference, times = {}, {}
    for mode, name, build in configs:
        build_s, match = best_of(build)
        scan_s, results = best_of(scan, match, chunks)
        if mode not in reference:  # first config of a mode is the reference; check it's char-indexed
            assert all(c[a:b] == PATTERNS[i] for c, r in zip(chunks, results) for a, b, i in r)
            reference[mode] = (name, results)
        ref_name, ref = reference[mode]
        for k, (got, exp) in enumerate(zip(results, ref)):  # correctness first
            assert set(got) == set(exp), f"{name}: chunk {k} differs from {ref_name}"
        assert len(results) == len(ref)
        times[mode, name] = scan_s
        total = sum(map(len, results))
        print(f"{mode:<17} {name:<35} {build_s * 1e3:>9.3f} {scan_s:>8.3f} "
              f"{nbytes / 1e6 / scan_s:>8.1f} {total:>10,}")

    print()
    for mode in reference:
        py = min(t for (m, n), t in times.items() if m == mode and n.startswith("py"))
        rs, rs_name = min((t, n) for (m, n), t in times.items() if m == mode and n.startswith("ahocorasick_rs"))
        print(f"{mode}: pyahocorasick time / fastest ahocorasick_rs ({rs_name}) time = {py / rs:.2f}x")
    print("All configurations agree on every chunk (asserted).")


if __name__ == "__main__":
    main()
