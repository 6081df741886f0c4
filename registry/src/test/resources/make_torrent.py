# Makes a .torrent with libtorrent, as a publisher's client would, and prints what libtorrent
# reads back from it: v1 hash, v2 hash ('-' when absent), pieces, total size, files.
# usage: make_torrent.py v1|v2|hybrid CONTENT OUT.torrent
import os
import sys

import libtorrent as lt

mode, content, out = sys.argv[1:4]
fs = lt.file_storage()
lt.add_files(fs, content)
flags = {"v1": lt.create_torrent.v1_only, "v2": lt.create_torrent.v2_only, "hybrid": 0}[mode]
t = lt.create_torrent(fs, 16384, flags=flags)
t.add_tracker("udp://127.0.0.1:6969/announce")
lt.set_piece_hashes(t, os.path.dirname(os.path.abspath(content)))
data = lt.bencode(t.generate())
with open(out, "wb") as f:
    f.write(data)
ti = lt.torrent_info(lt.bdecode(data))
ih = ti.info_hashes()
print(
    ih.v1.to_bytes().hex() if ih.has_v1() else "-",
    ih.v2.to_bytes().hex() if ih.has_v2() else "-",
    ti.num_pieces(),
    ti.total_size(),
    ti.num_files(),
)
