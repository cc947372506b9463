package config

// KnownCities are the cities a provider may serve and an order may be
// delivered to; a region is a city ("上海") or a district of one
// ("上海/浦东新区"), and its city must be listed here (PRV-1). A region
// outside the list is a typing mistake that would hide a provider from
// every dispatch, so the back office refuses it.
var KnownCities = []string{
	"北京", "上海", "天津", "重庆", "广州", "深圳", "杭州", "南京", "苏州", "无锡", "宁波", "温州",
	"成都", "武汉", "西安", "长沙", "郑州", "济南", "青岛", "合肥", "福州", "厦门", "南昌", "南宁",
	"昆明", "贵阳", "太原", "石家庄", "沈阳", "大连", "长春", "哈尔滨", "呼和浩特", "兰州", "银川",
	"西宁", "乌鲁木齐", "拉萨", "海口", "三亚", "佛山", "东莞", "珠海", "中山", "惠州", "常州",
	"南通", "嘉兴", "绍兴", "金华", "台州", "徐州", "扬州", "烟台", "潍坊", "洛阳", "保定", "唐山",
}
