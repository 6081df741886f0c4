#!/usr/bin/python3
"""Moves a file through a tracker with real BitTorrent clients, the tracker being the only way the
peers can find each other (DHT, local peer discovery, PEX, UPnP and NAT-PMP off; private torrent).

A libtorrent seeder serves a random file; libtorrent leechers and/or an aria2c leecher download it;
every leecher's bytes must equal the seeded file. Prints one JSON line with the outcome and exits
0 only when every leecher finished with identical bytes.

The seeder announces to --tracker. Each --leecher-tracker given is handed out in turn to the
leechers (libtorrent ones first, then aria2), so that peers of one swarm can announce to different
nodes of a fleet; without it every leecher announces to --tracker too.

With --publish URL (and --token), the .torrent is first published to a swarmkeeper registry
(POST URL, Authorization: Bearer TOKEN), as a private tracker in whitelist or private mode needs.

usage: transfer.py --tracker URL [--leecher-tracker URL ...] --workdir DIR [--size-mib 16]
                   [--libtorrent-leechers 2] [--aria2] [--timeout 180] [--publish URL --token T]
"""
import argparse
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import libtorrent as lt


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def session(port):
    settings = {
        "listen_interfaces": "127.0.0.1:%d" % port,
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "enable_outgoing_utp": False,
        "enable_incoming_utp": False,
        # every peer is 127.0.0.1: allow several connections from one address
        "allow_multiple_connections_per_ip": True,
        # libtorrent refuses HTTP trackers on localhost unless this is off
        "ssrf_mitigation": False,
        "announce_ip": "127.0.0.1",
        "min_reconnect_time": 1,
        "peer_connect_timeout": 3,
        "alert_mask": lt.alert.category_t.error_notification
        | lt.alert.category_t.tracker_notification
        | lt.alert.category_t.status_notification,
    }
    # flags 0: no default plugins, so no ut_pex (peer exchange) and no ut_metadata
    return lt.session(settings, 0)


def make_torrents(path, trackers):
    """One .torrent per tracker URL, all of one swarm: the announce URL lies outside the info
    dictionary, so every file has the same info_hash. Answers {tracker: torrent path}."""
    fs = lt.file_storage()
    lt.add_files(fs, path)
    t = lt.create_torrent(fs, 256 * 1024, flags=lt.create_torrent.v1_only)
    t.set_priv(True)
    lt.set_piece_hashes(t, os.path.dirname(path))
    meta = t.generate()
    torrents = {}
    for i, tracker in enumerate(dict.fromkeys(trackers)):
        meta[b"announce"] = tracker.encode()
        torrent = "%s.%d.torrent" % (path, i)
        with open(torrent, "wb") as f:
            f.write(lt.bencode(meta))
        torrents[tracker] = torrent
    hashes = {str(lt.torrent_info(f).info_hash()) for f in torrents.values()}
    assert len(hashes) == 1, "torrents of different swarms: %s" % hashes
    return torrents


def publish(url, token, torrent):
    """Registers the .torrent with a swarmkeeper registry; answers the HTTP status."""
    with open(torrent, "rb") as f:
        body = f.read()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/x-bittorrent", "Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=30) as r:
        return r.status


def sha1(path):
    h = hashlib.sha1()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def tracker_errors(ses):
    out = []
    for a in ses.pop_alerts():
        if isinstance(a, (lt.tracker_error_alert, lt.scrape_failed_alert)):
            # message() leaves out a UDP tracker's error text: failure_reason() has it
            reason = a.failure_reason() if hasattr(a, "failure_reason") else ""
            out.append(a.message() + (" reason: " + reason if reason else ""))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tracker", required=True)
    ap.add_argument("--leecher-tracker", action="append", default=[])
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--size-mib", type=int, default=16)
    ap.add_argument("--libtorrent-leechers", type=int, default=2)
    ap.add_argument("--aria2", action="store_true")
    ap.add_argument("--timeout", type=float, default=180)
    ap.add_argument("--publish")
    ap.add_argument("--token", default="")
    args = ap.parse_args()

    work = os.path.abspath(args.workdir)
    seed_dir = os.path.join(work, "seed")
    os.makedirs(seed_dir, exist_ok=True)
    name = "payload.bin"
    path = os.path.join(seed_dir, name)
    with open(path, "wb") as f:
        f.write(os.urandom(args.size_mib << 20))
    expected = sha1(path)
    labels = ["libtorrent-%d" % i for i in range(args.libtorrent_leechers)]
    if args.aria2:
        labels.append("aria2")
    rotation = args.leecher_tracker or [args.tracker]
    trackers = {label: rotation[i % len(rotation)] for i, label in enumerate(labels)}
    torrents = make_torrents(path, [args.tracker] + list(trackers.values()))
    info = lt.torrent_info(torrents[args.tracker])
    if args.publish:
        status = publish(args.publish, args.token, torrents[args.tracker])
        assert status in (200, 201), "publish answered %d" % status

    seeder = session(free_port())
    seeder.add_torrent({"ti": info, "save_path": seed_dir, "flags": lt.torrent_flags.seed_mode})

    start = time.time()
    leechers = []
    errors = []
    for i in range(args.libtorrent_leechers):
        d = os.path.join(work, "lt%d" % i)
        os.makedirs(d, exist_ok=True)
        s = session(free_port())
        label = "libtorrent-%d" % i
        h = s.add_torrent({"ti": lt.torrent_info(torrents[trackers[label]]), "save_path": d})
        leechers.append((label, s, h, os.path.join(d, name)))

    aria = None
    aria_dir = os.path.join(work, "aria2")
    if args.aria2:
        os.makedirs(aria_dir, exist_ok=True)
        udp = trackers["aria2"].startswith("udp:")
        dht_file = os.path.join(aria_dir, "dht.dat")  # absent: an empty routing table
        cmd = [
            "aria2c", "--dir=" + aria_dir, "--seed-time=0", "--bt-enable-lpd=false",
            "--enable-peer-exchange=false", "--listen-port=%d" % free_port(),
            "--bt-stop-timeout=%d" % int(args.timeout), "--console-log-level=warn",
            "--summary-interval=0", "--check-integrity=false", "--file-allocation=none",
            "--bt-tracker-connect-timeout=10", "--bt-tracker-timeout=10",
            # aria2 speaks to UDP trackers only with its DHT on; the torrent is private and the
            # routing table empty, so DHT finds nobody
            "--enable-dht=%s" % ("true" if udp else "false"), "--enable-dht6=false",
            "--dht-listen-port=%d" % free_port(), "--dht-file-path=" + dht_file,
            torrents[trackers["aria2"]],
        ]
        aria = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    finished = {}
    deadline = start + args.timeout
    while time.time() < deadline:
        for label, s, h, _ in leechers:
            st = h.status()
            if label not in finished and st.is_seeding:
                finished[label] = round(time.time() - start, 2)
            errors.extend(tracker_errors(s))
        errors.extend(tracker_errors(seeder))
        if aria is not None and "aria2" not in finished and aria.poll() is not None:
            finished["aria2"] = round(time.time() - start, 2) if aria.returncode == 0 else None
        want = len(leechers) + (1 if aria is not None else 0)
        if len(finished) == want:
            break
        time.sleep(0.2)

    results = {}
    ok = True
    for label, s, h, file in leechers:
        same = os.path.exists(file) and sha1(file) == expected
        results[label] = {"seconds": finished.get(label), "identical": same,
                          "tracker": trackers[label]}
        ok = ok and same and finished.get(label) is not None
    if aria is not None:
        if aria.poll() is None:
            aria.kill()
        out = aria.communicate()[0].decode("utf-8", "replace")
        file = os.path.join(aria_dir, name)
        same = os.path.exists(file) and sha1(file) == expected
        results["aria2"] = {"seconds": finished.get("aria2"), "identical": same,
                            "tracker": trackers["aria2"], "exit": aria.returncode,
                            "log": out[-800:] if not same else ""}
        ok = ok and same and finished.get("aria2") is not None
    print(json.dumps({"ok": ok, "tracker": args.tracker, "size_mib": args.size_mib,
                      "results": results, "tracker_errors": sorted(set(errors))[:10]}))
    sys.stdout.flush()
    os._exit(0 if ok else 1)


if __name__ == "__main__":
    main()
