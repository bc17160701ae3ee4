

def test_a_preview_sends_no_write_to_the_database(org):
    """The library's dry run would write and roll back; ours writes nothing at all."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhifu.accounts.imports import retailer_import, specialist_import

    shops = ("许可证号,店铺名称,负责人,纬度,经度,片区,档位,市场类型,业态\n"
             "440599003001,新店,王五,23.4,116.7,N1,5,城网,便利店\n"
             f"{org.retailer_north.licence_no},改名,王五,23.4,116.7,N1,5,城网,便利店\n").encode()
    people = ("工号,账号,姓名,所属片区,驻点纬度,驻点经度\n"
              "SP7002,sp7002,新专员,N1,23.4,116.7\n").encode()
    with CaptureQueriesContext(connection) as queries:
        shop_report = retailer_import(content=shops, filename="r.csv", commit=False,
                                      actor=org.manager_north)
        people_report = specialist_import(content=people, filename="s.csv", commit=False,
                                          actor=org.manager_north)
    assert (shop_report.created, shop_report.updated, people_report.created) == (1, 1, 1)
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
