#!/usr/bin/env python3
"""Expands the RFC 4475 section 3 messages of rfc4475-section3.txt into NAME.sip files.

RFC 4475 section 2 defines the markup the RFC's text uses for what a page cannot show:
<allOneLine> (one line folded over several for the page), <hex> (octets as hex digits) and
<repeat count=N> (a repeated string). This script undoes it and ends every line with CRLF.

    ./expand.py           write NAME.sip for every message (in this directory)
    ./expand.py --check   write nothing; compare the expansion, and the NAME.sip files,
                          byte for byte with the RFC's bit-exact archive (Appendix A,
                          kept here as rfc4475-appendix-a.b64: base64 of a tar.gz)
"""
import base64
import gzip
import io
import os
import re
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "rfc4475-section3.txt")
ARCHIVE = os.path.join(HERE, "rfc4475-appendix-a.b64")


def messages():
    """(name, section, lines) for every "%%% NAME SECTION" block of the source."""
    found = []
    with open(SOURCE, "r", encoding="ascii") as source:
        current = None
        for line in source.read().split("\n"):
            if line.startswith("%%% "):
                name, section = line[4:].split()
                current = (name, section, [])
                found.append(current)
            elif current is not None:
                current[2].append(line)
    # The file ends with a newline: the last split piece is not a line of the last message.
    if found and found[-1][2] and found[-1][2][-1] == "":
        found[-1][2].pop()
    return found


def join_all_one_line(lines):
    """RFC 4475 section 2.1: the lines between <allOneLine> and </allOneLine> are one line."""
    out = []
    joined = None
    for line in lines:
        if line == "<allOneLine>":
            assert joined is None, "nested <allOneLine>"
            joined = ""
        elif line == "</allOneLine>":
            assert joined is not None, "</allOneLine> without <allOneLine>"
            out.append(joined)
            joined = None
        elif joined is not None:
            joined += line
        else:
            out.append(line)
    assert joined is None, "unterminated <allOneLine>"
    return out


REPEAT = re.compile(r"<repeat count=(\d+)>(.*?)</repeat>")
HEX = re.compile(r"<hex>(.*?)</hex>", re.DOTALL)


def expand(lines):
    """The message's bytes: lines joined, repeats and hex expanded, line ends CRLF."""
    text = "\n".join(join_all_one_line(lines)) + "\n"
    # Section 2.3; repeats in the RFC hold plain text (a <hex> inside would be repeated as
    # markup and expanded below).
    text = REPEAT.sub(lambda m: m.group(2) * int(m.group(1)), text)
    assert "<repeat" not in text and "</repeat>" not in text, "malformed <repeat>"
    # Section 2.2: hex octets; line ends outside <hex> become CRLF.
    output = bytearray()
    position = 0
    for match in HEX.finditer(text):
        output += text[position:match.start()].replace("\n", "\r\n").encode("ascii")
        output += bytes.fromhex("".join(match.group(1).split()))
        position = match.end()
    output += text[position:].replace("\n", "\r\n").encode("ascii")
    assert b"<hex>" not in output and b"</hex>" not in output, "malformed <hex>"
    return bytes(output)


def archive():
    """{name: bytes} of the RFC's Appendix A archive (NAME.dat files)."""
    with open(ARCHIVE, "r", encoding="ascii") as encoded:
        data = base64.b64decode("".join(encoded.read().split()))
    files = {}
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(data)), mode="r:") as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name.endswith(".dat"):
                files[os.path.basename(member.name)[:-4]] = tar.extractfile(member).read()
    return files


def main():
    check = sys.argv[1:] == ["--check"]
    if sys.argv[1:] not in ([], ["--check"]):
        sys.exit(__doc__)
    failures = 0
    reference = archive() if check else {}
    expanded = {}
    for name, section, lines in messages():
        data = expand(lines)
        expanded[name] = data
        path = os.path.join(HERE, name + ".sip")
        if not check:
            with open(path, "wb") as out:
                out.write(data)
            continue
        if reference.get(name) != data:
            failures += 1
            print("%s (%s): expansion differs from the archive" % (name, section))
        if not os.path.exists(path) or open(path, "rb").read() != data:
            failures += 1
            print("%s.sip differs from the expansion (run ./expand.py)" % name)
    if check:
        # test.dat is in the archive but in no section of the RFC.
        missing = sorted(set(reference) - set(expanded) - {"test"})
        for name in missing:
            failures += 1
            print("%s: in the archive but not in the source" % name)
        print("%d messages, %d in the archive, %d problems" % (len(expanded), len(reference), failures))
        sys.exit(1 if failures else 0)
    print("wrote %d messages" % len(expanded))


if __name__ == "__main__":
    main()
