from editor import Buffer


def test_multiple_undo_redo_round_trip():
    buf = Buffer("")
    for i, ch in enumerate("xyz"):
        buf.insert(i, ch)
    buf.undo()
    buf.undo()
    assert buf.text == "x"
    buf.redo()
    buf.redo()
    assert buf.text == "xyz"
