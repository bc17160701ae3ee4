"""The monthly work-quality import: good, bad and repeated files."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client

from evaluation.imports import work_quality_import
from evaluation.models import WorkQualityRecord

HEADER = "工号,月份,订单满足率,电子结算成功率,主动支付成功率,零售终端运行率\n"


def _csv(team, *rows):
    return (HEADER + "".join(r.format(ace=team.ace.employee_no, rookie=team.rookie.employee_no)
                             + "\n" for r in rows)).encode()


def test_good_rows_write_once_and_percentages_are_read(team):
    content = _csv(team, "{ace},2026-10,0.95,98%,0.8,1", "{rookie},2026/10,90,0.99,0.7,0.95")
    preview = work_quality_import(actor=None, content=content, filename="q.csv", commit=False)
    assert (preview.created, preview.errors, WorkQualityRecord.objects.count()) == (2, [], 0)
    work_quality_import(actor=None, content=content, filename="q.csv", commit=True)
    ace = WorkQualityRecord.objects.get(specialist=team.ace)
    assert ace.period == dt.date(2026, 10, 1) and ace.e_settlement == 0.98
    assert WorkQualityRecord.objects.get(specialist=team.rookie).order_fulfilment == 0.9
    again = work_quality_import(actor=None, content=content, filename="q.csv", commit=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_bad_rows_are_listed_and_skipped(team):
    content = _csv(team, "{ace},2026-10,150,0.9,0.9,0.9", "NOBODY,2026-10,0.9,0.9,0.9,0.9",
                   "{rookie},October,0.9,0.9,x,0.9", "{ace},2026-10,0.9,0.9,0.9,0.9")
    report = work_quality_import(actor=None, content=content, filename="q.csv", commit=True)
    problems = {(e.line, e.column) for e in report.errors}
    assert problems == {(2, "order_fulfilment"), (3, "employee_no"), (4, "month"),
                        (4, "active_payment"), (5, "employee_no")}
    assert not WorkQualityRecord.objects.exists()


def test_command_and_admin(team, tmp_path, capsys):
    path = tmp_path / "quality.csv"
    path.write_bytes(_csv(team, "{ace},2026-11,0.9,0.9,0.9,0.9"))
    call_command("import_work_quality", str(path), "--dry-run")
    assert "1 rows read, 1 good" in capsys.readouterr().out
    assert not WorkQualityRecord.objects.exists()
    from tests import factories

    client = Client()
    client.force_login(factories.admin())
    upload = io.BytesIO(path.read_bytes())
    upload.name = "quality.csv"
    preview = client.post("/admin/evaluation/workqualityrecord/import/", {"file": upload})
    done = client.post("/admin/evaluation/workqualityrecord/import/",
                       {"token": preview.context["token"]})
    assert done.status_code == 302 and WorkQualityRecord.objects.count() == 1


@pytest.mark.parametrize("content,filename", [(b"", "q.csv"), (b"a,b\n1,2\n", "q.csv")])
def test_unreadable_files_are_refused(team, content, filename):
    from zhifu.core.errors import DomainError

    with pytest.raises(DomainError):
        work_quality_import(actor=None, content=content, filename=filename, commit=True)
