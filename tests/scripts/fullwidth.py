#!/usr/bin/env python3
"""Full-width punctuation in Chinese strings: zh = "..." (TOML) and zh: "..." (Rust)."""
import re, sys

def cjk(c):
    return c is not None and ('\u4e00' <= c <= '\u9fff' or c in '，。：；！？（）“”、…—《》「」')

FW = {',': '，', ':': '：', ';': '；', '?': '？', '!': '！'}
amb = []

def conv(s, where):
    out = list(s)
    n = len(s)
    # parens as pairs
    stack = []
    pairs = []
    for i, c in enumerate(s):
        if c == '(':
            stack.append(i)
        elif c == ')' and stack:
            pairs.append((stack.pop(), i))
    for a, b in pairs:
        inner = s[a+1:b]
        before = s[a-1] if a > 0 else None
        after = s[b+1] if b + 1 < n else None
        keep = re.fullmatch(r'nil|integer|error|empty array|\d+|[a-z]', inner)
        if not keep and (any(cjk(c) for c in inner) or cjk(before) or cjk(after)):
            out[a] = '（'; out[b] = '）'
    for i, c in enumerate(s):
        if c in FW:
            p = out[i-1] if i > 0 else None
            q = s[i+1] if i + 1 < n else None
            if cjk(p) or cjk(q):
                out[i] = FW[c]
            elif c in ',;' and q is not None and q != ' ' and not re.match(r'\d{3}(\D|$)', s[i+1:]) or (c in ',:' and p in '"`' and q not in (None, ' ')):
                out[i] = FW[c]
                amb.append(f"{where}: converted ...{s[max(0,i-20):i+20]}...")
            elif c == ':' and q == ' ':
                # "x: y" inside Chinese text
                amb.append(f"{where}: colon-space ...{s[max(0,i-25):i+25]}...")
    return ''.join(out)

pat = re.compile(r'(zh\s*[=:]\s*")((?:[^"\\]|\\.)*)(")')
for path in sys.argv[1:]:
    text = open(path, encoding='utf-8').read()
    lines = text.split('\n')
    for ln, line in enumerate(lines):
        lines[ln] = pat.sub(lambda m: m.group(1) + conv(m.group(2), f"{path}:{ln+1}") + m.group(3), line)
    new = '\n'.join(lines)
    if new != text:
        open(path, 'w', encoding='utf-8').write(new)
for a in amb:
    print(a)

# Rust: any string literal holding Chinese
lit = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
def has_han(s):
    return any('\u4e00' <= c <= '\u9fff' for c in s)
for path in [p for p in sys.argv[1:] if p.endswith('.rs') or p.endswith('.html')]:
    text = open(path, encoding='utf-8').read()
    new = lit.sub(lambda m: '"' + (conv(m.group(1), path) if has_han(m.group(1)) else m.group(1)) + '"', text)
    if new != text:
        open(path, 'w', encoding='utf-8').write(new)
