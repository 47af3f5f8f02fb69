<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AttractScreen</name>
    <message>
        <source>Today at the mall</source>
        <translation>今日推荐</translation>
    </message>
</context>
<context>
    <name>BottomBar</name>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>首页</translation>
    </message>
</context>
<context>
    <name>ComplaintScreen</name>
    <message>
        <source>What would you like to tell us?</source>
        <translation>请问您想反映什么？</translation>
    </message>
    <message>
        <source>A complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>A suggestion</source>
        <translation>建议</translation>
    </message>
    <message>
        <source>Praise</source>
        <translation>表扬</translation>
    </message>
    <message>
        <source>A question</source>
        <translation>咨询</translation>
    </message>
    <message>
        <source>What is it about?</source>
        <translation>问题类别</translation>
    </message>
    <message>
        <source>Service attitude</source>
        <translation>服务态度</translation>
    </message>
    <message>
        <source>Product quality</source>
        <translation>商品质量</translation>
    </message>
    <message>
        <source>Price or billing</source>
        <translation>价格与收费</translation>
    </message>
    <message>
        <source>After-sales service</source>
        <translation>售后服务</translation>
    </message>
    <message>
        <source>Environment, facilities</source>
        <translation>环境与设施</translation>
    </message>
    <message>
        <source>Safety</source>
        <translation>安全</translation>
    </message>
    <message>
        <source>Something else</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Where?</source>
        <translation>发生地点</translation>
    </message>
    <message>
        <source>Store name or pinyin</source>
        <translation>店铺名称或拼音</translation>
    </message>
    <message>
        <source>The mall itself</source>
        <translation>商场本身</translation>
    </message>
    <message>
        <source>When did it happen?</source>
        <translation>发生时间</translation>
    </message>
    <message>
        <source>Just now</source>
        <translation>刚刚</translation>
    </message>
    <message>
        <source>Earlier today</source>
        <translation>今天早些时候</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <source>Before that</source>
        <translation>更早</translation>
    </message>
    <message>
        <source>What happened?</source>
        <translation>发生了什么？</translation>
    </message>
    <message>
        <source>Tell us in your own words</source>
        <translation>请描述具体情况</translation>
    </message>
    <message>
        <source>What would you like us to do?</source>
        <translation>您希望我们如何处理？</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>Exchange</source>
        <translation>换货</translation>
    </message>
    <message>
        <source>Repair</source>
        <translation>维修</translation>
    </message>
    <message>
        <source>Apology</source>
        <translation>道歉</translation>
    </message>
    <message>
        <source>Explanation</source>
        <translation>解释说明</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Leave a phone number if you would like us to call you back. We use it only for this case and delete it when the case is closed.</source>
        <translation>如需我们回电，请留下手机号码。号码仅用于处理本次事项，结案后即删除。</translation>
    </message>
    <message>
        <source>Name (optional)</source>
        <translation>姓名（选填）</translation>
    </message>
    <message>
        <source>Mobile number (optional)</source>
        <translation>手机号码（选填）</translation>
    </message>
    <message>
        <source>Best time to call</source>
        <translation>方便联系的时间</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>任何时间</translation>
    </message>
    <message>
        <source>Morning</source>
        <translation>上午</translation>
    </message>
    <message>
        <source>Afternoon</source>
        <translation>下午</translation>
    </message>
    <message>
        <source>Evening</source>
        <translation>晚上</translation>
    </message>
    <message>
        <source>I agree that the mall may contact me about this case.</source>
        <translation>我同意商场就本次事项与我联系。</translation>
    </message>
    <message>
        <source>Without a phone number we cannot call you back, but your complaint is still recorded.</source>
        <translation>未留电话号码我们将无法回访，但您的投诉仍会被记录。</translation>
    </message>
    <message>
        <source>Please check and send</source>
        <translation>请核对后提交</translation>
    </message>
    <message>
        <source>Thank you. Your ticket number is</source>
        <translation>感谢您的反馈，您的单号是</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>上一步</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>提交</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
</context>
<context>
    <name>HomeScreen</name>
    <message>
        <source>Welcome! How can we help you?</source>
        <translation>欢迎光临！请问需要什么帮助？</translation>
    </message>
    <message>
        <source>Find a store</source>
        <translation>找店导航</translation>
    </message>
    <message>
        <source>Stores, restaurants, restrooms and routes</source>
        <translation>店铺、餐厅、洗手间与路线</translation>
    </message>
    <message>
        <source>Member card</source>
        <translation>会员查询</translation>
    </message>
    <message>
        <source>Points, tier and coupons</source>
        <translation>积分、等级与优惠券</translation>
    </message>
    <message>
        <source>Return request</source>
        <translation>退换货申请</translation>
    </message>
    <message>
        <source>Returns, exchanges and repairs</source>
        <translation>退货、换货与维修</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投诉建议</translation>
    </message>
    <message>
        <source>Complaints and suggestions</source>
        <translation>投诉、建议与表扬</translation>
    </message>
    <message>
        <source>Check my ticket</source>
        <translation>查询单号</translation>
    </message>
    <message>
        <source>Need a person? The service desk is on 1F by the main entrance.</source>
        <translation>需要人工帮助？服务台位于1F正门旁。</translation>
    </message>
</context>
<context>
    <name>IdleDialog</name>
    <message>
        <source>Are you still there?</source>
        <translation>您还在吗？</translation>
    </message>
    <message>
        <source>For your privacy this session will end and your information will be cleared.</source>
        <translation>为保护您的隐私，本次使用即将结束，您的信息将被清除。</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续使用</translation>
    </message>
</context>
<context>
    <name>KioskPlacement</name>
    <message>
        <source>north</source>
        <translation>北</translation>
    </message>
    <message>
        <source>north-east</source>
        <translation>东北</translation>
    </message>
    <message>
        <source>east</source>
        <translation>东</translation>
    </message>
    <message>
        <source>south-east</source>
        <translation>东南</translation>
    </message>
    <message>
        <source>south</source>
        <translation>南</translation>
    </message>
    <message>
        <source>south-west</source>
        <translation>西南</translation>
    </message>
    <message>
        <source>west</source>
        <translation>西</translation>
    </message>
    <message>
        <source>north-west</source>
        <translation>西北</translation>
    </message>
    <message>
        <source>facing %1° (%2)</source>
        <translation>朝向 %1°（%2）</translation>
    </message>
    <message>
        <source>2. Tap the way a shopper faces when reading the screen, or turn the arrow with the buttons below.</source>
        <translation>2. 点一下顾客看屏幕时面朝的方向，或用下方按钮转动箭头。</translation>
    </message>
    <message>
        <source>1. Tap the map where the kiosk stands. Choose its floor first.</source>
        <translation>1. 先选楼层，再在地图上点出本机所在的位置。</translation>
    </message>
    <message>
        <source>Floor</source>
        <translation>楼层</translation>
    </message>
    <message>
        <source>New position</source>
        <translation>新位置</translation>
    </message>
    <message>
        <source>Move it</source>
        <translation>移动</translation>
    </message>
    <message>
        <source>Turn it</source>
        <translation>转向</translation>
    </message>
    <message>
        <source>In use: none. This kiosk has no position yet, so it shows no “You are here” and gives no directions.</source>
        <translation>当前：无。本机尚未设置位置，因此不显示“您在这里”，也无法指路。</translation>
    </message>
    <message>
        <source>In use: %1, %2, set on this kiosk.</source>
        <translation>当前：%1，%2，在本机设置。</translation>
    </message>
    <message>
        <source>In use: %1, %2, from the mall&apos;s map data.</source>
        <translation>当前：%1，%2，来自商场地图数据。</translation>
    </message>
    <message>
        <source>New: %1, %2 (%3, %4): not saved yet.</source>
        <translation>新位置：%1，%2（%3，%4），尚未保存。</translation>
    </message>
    <message>
        <source>Use map data</source>
        <translation>使用地图数据</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
</context>
<context>
    <name>LevelMap</name>
    <message>
        <source>You are here</source>
        <translation>您在这里</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Accessibility mode is on. All buttons are in the lower half of the screen, text is larger and you have more time.</source>
        <translation>无障碍模式已开启：所有按钮位于屏幕下半部分，文字更大，操作时间更长。</translation>
    </message>
    <message>
        <source>Offline: the kiosk works as usual and sends your submissions when the network is back.</source>
        <translation>离线模式：服务机照常使用，您的提交会在网络恢复后自动发送。</translation>
    </message>
</context>
<context>
    <name>MaintenanceScreen</name>
    <message>
        <source>Maintenance</source>
        <translation>维护模式</translation>
    </message>
    <message>
        <source>Your name, for the log</source>
        <translation>您的姓名（记入操作日志）</translation>
    </message>
    <message>
        <source>Leave</source>
        <translation>退出维护</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <source>Display</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Restart the app</source>
        <translation>重启程序</translation>
    </message>
    <message>
        <source>Leave kiosk mode</source>
        <translation>退出自助模式</translation>
    </message>
    <message>
        <source>One-time enrollment code</source>
        <translation>一次性注册码</translation>
    </message>
    <message>
        <source>Enroll</source>
        <translation>注册</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Kept aside by the central service (%1)</source>
        <translation>被服务中心退回的提交（%1）</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Print a test page</source>
        <translation>打印测试页</translation>
    </message>
    <message>
        <source>Folder on the USB stick, e.g. /media/usb</source>
        <translation>U 盘上的文件夹，例如 /media/usb</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>操作日志</translation>
    </message>
    <message>
        <source>Started without a device file: settings can be read here, not saved.</source>
        <translation>未指定设备配置文件启动：这里只能查看设置，不能保存。</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>新值</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>恢复默认</translation>
    </message>
</context>
<context>
    <name>MaintenanceViewModel</name>
    <message>
        <source>This kiosk has no central service yet: save sync.server_url below, press Restart on the Device page, then enroll.</source>
        <translation>本机还没有设置中心服务：请先在下方保存 sync.server_url，再在“设备”页点“重启”，然后注册。</translation>
    </message>
    <message>
        <source>Type the one-time enrollment code from the central service.</source>
        <translation>请输入中心服务给出的一次性注册码。</translation>
    </message>
    <message>
        <source>Enrolled as kiosk {kiosk}; the first sync has started.</source>
        <translation>已注册为 {kiosk} 号机，首次同步已开始。</translation>
    </message>
    <message>
        <source>Sync started; refresh in a moment to see the result.</source>
        <translation>同步已开始，稍后刷新即可看到结果。</translation>
    </message>
    <message>
        <source>Leaving kiosk mode is not allowed on this device ([maintenance] allow_exit).</source>
        <translation>本机不允许退出自助模式（[maintenance] allow_exit）。</translation>
    </message>
    <message>
        <source>That did not work; the details are in the log.</source>
        <translation>操作未成功，详情见日志。</translation>
    </message>
    <message>
        <source>Saved {key} = {value}. Not in effect: {source} sets it. Restart the app to apply it.</source>
        <translation>已保存 {key} = {value}。但当前未生效：该项由{source}设定。重启程序后生效。</translation>
    </message>
    <message>
        <source>Saved {key} = {value}. Restart the app to apply it.</source>
        <translation>已保存 {key} = {value}。重启程序后生效。</translation>
    </message>
    <message>
        <source>Not saved.</source>
        <translation>未保存。</translation>
    </message>
    <message>
        <source>State: {state}</source>
        <translation>状态：{state}</translation>
    </message>
    <message>
        <source>. Last error: {error}</source>
        <translation>。最近错误：{error}</translation>
    </message>
    <message>
        <source>Some of the device state could not be read; see the log.</source>
        <translation>部分设备状态无法读取，详见日志。</translation>
    </message>
    <message>
        <source>Central service: {url}</source>
        <translation>中心服务：{url}</translation>
    </message>
    <message>
        <source>Enrolled</source>
        <translation>已注册</translation>
    </message>
    <message>
        <source>Not enrolled</source>
        <translation>未注册</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Last sync: {when}</source>
        <translation>最近同步：{when}</translation>
    </message>
    <message>
        <source>Waiting to send: {waiting}; kept aside: {aside}</source>
        <translation>待发送：{waiting}；已搁置：{aside}</translation>
    </message>
    <message>
        <source>The central service refused this kiosk&apos;s token: enroll it again.</source>
        <translation>中心服务拒绝了本机的令牌：请重新注册。</translation>
    </message>
    <message>
        <source>Last error: {error}</source>
        <translation>最近错误：{error}</translation>
    </message>
    <message>
        <source>Logs and diagnostics written to {folder}.</source>
        <translation>日志和诊断报告已写入 {folder}。</translation>
    </message>
    <message>
        <source>Kiosk</source>
        <translation>本机编号</translation>
    </message>
    <message>
        <source>App version</source>
        <translation>程序版本</translation>
    </message>
    <message>
        <source>Venue</source>
        <translation>商场</translation>
    </message>
    <message>
        <source>Device file</source>
        <translation>设备配置文件</translation>
    </message>
    <message>
        <source>Data directory</source>
        <translation>数据目录</translation>
    </message>
    <message>
        <source>This kiosk was started without a device file (--config or $MALLKIOSK_CONFIG), so settings cannot be saved here.</source>
        <translation>本机启动时没有指定设备配置文件（--config 或 $MALLKIOSK_CONFIG），因此无法在此保存设置。</translation>
    </message>
    <message>
        <source>No central service is configured ([sync] server_url).</source>
        <translation>未配置中心服务（[sync] server_url）。</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认值</translation>
    </message>
    <message>
        <source>device file</source>
        <translation>设备配置文件</translation>
    </message>
    <message>
        <source>central service</source>
        <translation>中心服务</translation>
    </message>
    <message>
        <source>environment variable {name}</source>
        <translation>环境变量 {name}</translation>
    </message>
</context>
<context>
    <name>MemberCardView</name>
    <message>
        <source>Card %1</source>
        <translation>卡号 %1</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <source>%1 more points to %2</source>
        <translation>再积 %1 分升级为%2</translation>
    </message>
    <message>
        <source>As of %1</source>
        <translation>更新于 %1</translation>
    </message>
    <message>
        <source>Points expiring soon</source>
        <translation>即将过期的积分</translation>
    </message>
    <message>
        <source>Within %1 days</source>
        <translation>%1 天内</translation>
    </message>
    <message>
        <source>%1 points lapse at the end of %2</source>
        <translation>%1 积分将于 %2 到期</translation>
    </message>
    <message>
        <source>No points lapse in the next 90 days.</source>
        <translation>未来 90 天内没有积分到期。</translation>
    </message>
    <message>
        <source>Coupons (%1)</source>
        <translation>优惠券（%1 张）</translation>
    </message>
    <message>
        <source>No coupons right now.</source>
        <translation>目前没有可用的优惠券。</translation>
    </message>
    <message>
        <source>Valid until %1 · %2</source>
        <translation>有效期至 %1 · %2</translation>
    </message>
    <message>
        <source>Hide code</source>
        <translation>收起</translation>
    </message>
    <message>
        <source>Show QR code</source>
        <translation>出示二维码</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Your %1 benefits</source>
        <translation>%1会员权益</translation>
    </message>
    <message>
        <source>Recent points</source>
        <translation>最近积分记录</translation>
    </message>
    <message>
        <source>Nothing of your card is kept on this kiosk. Please log out when you are done; the screen also clears itself after a short while without a touch.</source>
        <translation>本机不保存您的任何会员信息。用完请点“退出登录”；一段时间无操作，屏幕也会自动清除。</translation>
    </message>
</context>
<context>
    <name>MemberScreen</name>
    <message>
        <source>Your member card</source>
        <translation>会员查询</translation>
    </message>
    <message>
        <source>We show your tier, points and coupons live from the mall&apos;s member service. Nothing is saved on this kiosk: it is cleared when you log out, leave this screen or stop using it.</source>
        <translation>会员等级、积分和优惠券实时从商场会员系统查询，本机不做任何保存：退出登录、离开本页或停止操作后即清除。</translation>
    </message>
    <message>
        <source>Member services are not set up on this kiosk. Please ask at the service desk.</source>
        <translation>本机暂未开通会员服务，请到服务台查询。</translation>
    </message>
    <message>
        <source>Scan your member code</source>
        <translation>扫描会员码</translation>
    </message>
    <message>
        <source>Hold the member code in the mall app, or the barcode on your card, under the scanner below the screen.</source>
        <translation>请将商场 App 中的会员码，或会员卡背面的条码，对准屏幕下方的扫码口。</translation>
    </message>
    <message>
        <source>Or type your card number</source>
        <translation>或输入会员卡号</translation>
    </message>
    <message>
        <source>Look up</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Use your mobile number</source>
        <translation>手机号验证</translation>
    </message>
    <message>
        <source>We send a 6-digit code to the mobile number of your membership.</source>
        <translation>我们会向您的会员手机号发送 6 位验证码。</translation>
    </message>
    <message>
        <source>Send code</source>
        <translation>获取验证码</translation>
    </message>
    <message>
        <source>Enter the code</source>
        <translation>请输入验证码</translation>
    </message>
    <message>
        <source>We sent a 6-digit code to %1. It is valid for a few minutes.</source>
        <translation>验证码已发送至 %1，几分钟内有效。</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>Send again in %1 s</source>
        <translation>%1 秒后可重新获取</translation>
    </message>
    <message>
        <source>Send the code again</source>
        <translation>重新获取验证码</translation>
    </message>
    <message>
        <source>Use another number</source>
        <translation>换个手机号</translation>
    </message>
    <message>
        <source>One moment…</source>
        <translation>请稍候…</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <source>Maintenance</source>
        <translation>维护模式</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>PlaceScreen</name>
    <message>
        <source>Floor %1</source>
        <translation>楼层 %1</translation>
    </message>
    <message>
        <source>Unit %1</source>
        <translation>铺位 %1</translation>
    </message>
    <message>
        <source>Phone %1</source>
        <translation>电话 %1</translation>
    </message>
    <message>
        <source>Take me there</source>
        <translation>带我去</translation>
    </message>
</context>
<context>
    <name>PlacementViewModel</name>
    <message>
        <source>The map is not available: {reason}</source>
        <translation>地图不可用：{reason}</translation>
    </message>
    <message>
        <source>That is outside the floor plan of {level}: tap inside the building.</source>
        <translation>这里在 {level} 的平面图之外：请点在建筑内。</translation>
    </message>
    <message>
        <source>First tap the map where the kiosk stands.</source>
        <translation>请先在地图上点出本机所在的位置。</translation>
    </message>
    <message>
        <source>Tap a little further from the kiosk to show the way it faces.</source>
        <translation>请在离本机稍远一点的地方点一下，以表示朝向。</translation>
    </message>
    <message>
        <source>The direction must be a number of degrees.</source>
        <translation>朝向必须是角度数值。</translation>
    </message>
    <message>
        <source>Nothing to save: this is the position in use.</source>
        <translation>无需保存：这就是当前使用的位置。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Not saved: {reason}</source>
        <translation>未保存：{reason}</translation>
    </message>
    <message>
        <source>Saved in the device file, but {where} sets the position, so that one stays in use.</source>
        <translation>已保存到设备配置文件，但位置由 {where} 设定，仍以其为准。</translation>
    </message>
    <message>
        <source>Saved, but not in use: {reason}</source>
        <translation>已保存，但未生效：{reason}</translation>
    </message>
    <message>
        <source>Saved: the kiosk stands where the venue data puts it.</source>
        <translation>已保存：本机位置以商场地图数据为准。</translation>
    </message>
    <message>
        <source>Saved: shoppers now see the kiosk here.</source>
        <translation>已保存：顾客现在会看到本机在这里。</translation>
    </message>
</context>
<context>
    <name>ReturnScreen</name>
    <message>
        <source>Sales slip number (scan or type; leave empty if you have none)</source>
        <translation>购物小票号（扫码或输入；没有可留空）</translation>
    </message>
    <message>
        <source>Scan the barcode on your slip</source>
        <translation>请扫描小票上的条码</translation>
    </message>
    <message>
        <source>Which store?</source>
        <translation>在哪家店购买？</translation>
    </message>
    <message>
        <source>Store name or pinyin</source>
        <translation>店铺名称或拼音</translation>
    </message>
    <message>
        <source>When did you buy it?</source>
        <translation>购买时间</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <source>2–7 days ago</source>
        <translation>2–7 天前</translation>
    </message>
    <message>
        <source>8–15 days ago</source>
        <translation>8–15 天前</translation>
    </message>
    <message>
        <source>Longer ago</source>
        <translation>更早</translation>
    </message>
    <message>
        <source>Amount paid in yuan (optional)</source>
        <translation>实付金额（元，选填）</translation>
    </message>
    <message>
        <source>What is the item?</source>
        <translation>商品名称</translation>
    </message>
    <message>
        <source>For example: blue shirt, size M</source>
        <translation>例如：蓝色衬衫 M 码</translation>
    </message>
    <message>
        <source>What kind of product?</source>
        <translation>商品类别</translation>
    </message>
    <message>
        <source>How many?</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Why are you bringing it back?</source>
        <translation>退换原因</translation>
    </message>
    <message>
        <source>Quality fault</source>
        <translation>质量问题</translation>
    </message>
    <message>
        <source>Wrong size or colour</source>
        <translation>尺码或颜色不合适</translation>
    </message>
    <message>
        <source>Not as described</source>
        <translation>与描述不符</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>商品破损</translation>
    </message>
    <message>
        <source>Changed my mind</source>
        <translation>不想要了</translation>
    </message>
    <message>
        <source>Other reason</source>
        <translation>其他原因</translation>
    </message>
    <message>
        <source>Tick what is true</source>
        <translation>请勾选符合的情况</translation>
    </message>
    <message>
        <source>Packaging intact</source>
        <translation>包装完好</translation>
    </message>
    <message>
        <source>Tags attached</source>
        <translation>吊牌齐全</translation>
    </message>
    <message>
        <source>Accessories complete</source>
        <translation>配件赠品齐全</translation>
    </message>
    <message>
        <source>I have the slip or invoice</source>
        <translation>有小票或发票</translation>
    </message>
    <message>
        <source>The item has been used</source>
        <translation>商品已使用</translation>
    </message>
    <message>
        <source>What would you like?</source>
        <translation>您希望</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>Exchange</source>
        <translation>换货</translation>
    </message>
    <message>
        <source>Repair</source>
        <translation>维修</translation>
    </message>
    <message>
        <source>What you can likely expect</source>
        <translation>可能的处理结果</translation>
    </message>
    <message>
        <source>Staff at the service desk will look at your item and decide. You can still send the request.</source>
        <translation>服务台工作人员会检查商品后决定，您仍可提交申请。</translation>
    </message>
    <message>
        <source>Please bring</source>
        <translation>请携带</translation>
    </message>
    <message>
        <source>This is a guide, not a promise: the desk checks the item.</source>
        <translation>以上仅供参考，以服务台检验结果为准。</translation>
    </message>
    <message>
        <source>Leave a phone number if you would like us to call you back. We use it only for this request and delete it when it is closed.</source>
        <translation>如需我们回电，请留下手机号码。号码仅用于处理本次申请，结案后即删除。</translation>
    </message>
    <message>
        <source>Mobile number (optional)</source>
        <translation>手机号码（选填）</translation>
    </message>
    <message>
        <source>I agree that the mall may contact me about this request.</source>
        <translation>我同意商场就本次申请与我联系。</translation>
    </message>
    <message>
        <source>Please check and send</source>
        <translation>请核对后提交</translation>
    </message>
    <message>
        <source>Thank you. Your ticket number is</source>
        <translation>感谢您的反馈，您的单号是</translation>
    </message>
    <message>
        <source>Please bring to the service desk</source>
        <translation>请携带以下物品到服务台</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>上一步</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>提交</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
</context>
<context>
    <name>RouteScreen</name>
    <message>
        <source>To %1</source>
        <translation>前往 %1</translation>
    </message>
    <message>
        <source>Walk</source>
        <translation>步行</translation>
    </message>
    <message>
        <source>Step-free</source>
        <translation>无障碍路线</translation>
    </message>
    <message>
        <source>Scan to take this route with you</source>
        <translation>扫码在手机上查看路线</translation>
    </message>
</context>
<context>
    <name>RouteViewModel</name>
    <message>
        <source>Sorry, there is no step-free route there. Please ask at the service desk.</source>
        <translation>抱歉，没有通往那里的无障碍路线，请到服务台咨询。</translation>
    </message>
    <message>
        <source>Sorry, no route was found. Please ask at the service desk.</source>
        <translation>抱歉，没有找到路线，请到服务台咨询。</translation>
    </message>
    <message>
        <source>Routes are not available right now.</source>
        <translation>路线功能暂时无法使用。</translation>
    </message>
</context>
<context>
    <name>ShellViewModel</name>
    <message>
        <source>Something went wrong. Returning to the home screen.</source>
        <translation>抱歉，出了点问题，正在返回首页。</translation>
    </message>
</context>
<context>
    <name>StatusScreen</name>
    <message>
        <source>Your ticket number, as on your receipt</source>
        <translation>请输入回执上的单号</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Note from staff: %1</source>
        <translation>工作人员备注：%1</translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation>更新于 %1</translation>
    </message>
    <message>
        <source>This kiosk is offline right now, so the status may be out of date.</source>
        <translation>本机目前离线，显示的状态可能不是最新的。</translation>
    </message>
</context>
<context>
    <name>TopBar</name>
    <message>
        <source>Accessible</source>
        <translation>无障碍</translation>
    </message>
    <message>
        <source>Accessibility mode</source>
        <translation>无障碍模式</translation>
    </message>
    <message>
        <source>Switch language</source>
        <translation>切换语言</translation>
    </message>
</context>
<context>
    <name>WayfindingScreen</name>
    <message>
        <source>Search stores, brands, food, restrooms…  (pinyin OK)</source>
        <translation>搜索店铺、品牌、美食、洗手间…（支持拼音）</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>No exact match. Did you mean:</source>
        <translation>没有完全匹配的结果，您是否在找：</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>搜索结果</translation>
    </message>
    <message>
        <source>Facilities</source>
        <translation>便民设施</translation>
    </message>
    <message>
        <source>Restrooms</source>
        <translation>洗手间</translation>
    </message>
    <message>
        <source>Nursing room</source>
        <translation>母婴室</translation>
    </message>
    <message>
        <source>Elevators</source>
        <translation>电梯</translation>
    </message>
    <message>
        <source>Service desk</source>
        <translation>服务台</translation>
    </message>
    <message>
        <source>ATM</source>
        <translation>取款机</translation>
    </message>
    <message>
        <source>Exits</source>
        <translation>出入口</translation>
    </message>
    <message>
        <source>Parking</source>
        <translation>停车场</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>业态分类</translation>
    </message>
    <message>
        <source>Floors</source>
        <translation>楼层</translation>
    </message>
</context>
<context>
    <name>WayfindingViewModel</name>
    <message>
        <source>The store directory is not available right now.</source>
        <translation>店铺导览暂时无法使用。</translation>
    </message>
</context>
</TS>
