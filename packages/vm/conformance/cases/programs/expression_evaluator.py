def tokenize(s):
    tokens, i = [], 0
    while i < len(s):
        c = s[i]
        if c.isspace():
            i += 1
        elif c.isdigit() or c == ".":
            j = i
            while j < len(s) and (s[j].isdigit() or s[j] == "."):
                j += 1
            tokens.append(float(s[i:j]) if "." in s[i:j] else int(s[i:j]))
            i = j
        elif c in "+-*/()":
            tokens.append(c)
            i += 1
        else:
            raise SyntaxError(f"bad character {c!r} at {i}")
    return tokens

def parse(tokens):
    pos = 0
    def peek():
        return tokens[pos] if pos < len(tokens) else None
    def take():
        nonlocal pos
        pos += 1
        return tokens[pos - 1]
    def expr():
        v = term()
        while peek() in ("+", "-"):
            v = v + term() if take() == "+" else v - term()
        return v
    def term():
        v = factor()
        while peek() in ("*", "/"):
            v = v * factor() if take() == "*" else v / factor()
        return v
    def factor():
        t = take()
        if t == "(":
            v = expr()
            take()
            return v
        if t == "-":
            return -factor()
        return t
    return expr()

for src in ["1 + 2 * 3", "(1 + 2) * 3", "10 / 4 - 1", "-(2 + 3) * 2.5", "2 * (3 + 4) * 5", "1 / 0", "2 $ 3"]:
    try:
        print(src, "=", parse(tokenize(src)))
    except ZeroDivisionError as e:
        print(src, "->", type(e), e)
    except SyntaxError as e:
        print(src, "->", e)
