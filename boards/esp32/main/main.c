/* main.c: the xPL heartbeat device on ESP-IDF: Wi-Fi STA (menuconfig), then the
 * shared device loop (host/c/shim/xh_device.c) in its own task. */
#include <string.h>

#include "esp_event.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "esp_wifi.h"
#include "freertos/FreeRTOS.h"
#include "freertos/event_groups.h"
#include "freertos/task.h"
#include "lwip/inet.h"
#include "nvs_flash.h"
#include "xh_device.h"
#include "xh_line.h"

/* wasm3 runs on this task's stack: 32 KiB as in wasm3's own ESP32 example (Xtensa
 * GCC cannot make the interpreter's tail calls). */
#define XPL_TASK_STACK_BYTES (32 * 1024)

extern const uint8_t xpl_wasm_start[] asm("_binary_xpl_hbeat_wasm_start");
extern const uint8_t xpl_wasm_end[] asm("_binary_xpl_hbeat_wasm_end");

static const char *TAG = "xpl";
static EventGroupHandle_t wifi_events;
#define WIFI_UP BIT0

static xh_device_t device;           /* static: the shim allocates nothing */
static xh_device_config config;
static volatile sig_atomic_t stop_requested;
static char remote_ip[16];

static void on_wifi(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    if (base == WIFI_EVENT && id == WIFI_EVENT_STA_START) {
        esp_wifi_connect();
    } else if (base == WIFI_EVENT && id == WIFI_EVENT_STA_DISCONNECTED) {
        xEventGroupClearBits(wifi_events, WIFI_UP);
        esp_wifi_connect();
    } else if (base == IP_EVENT && id == IP_EVENT_STA_GOT_IP) {
        const ip_event_got_ip_t *got = data;
        ESP_LOGI(TAG, "address " IPSTR, IP2STR(&got->ip_info.ip));
        xEventGroupSetBits(wifi_events, WIFI_UP);
    }
}

static esp_netif_t *wifi_start(void)
{
    wifi_events = xEventGroupCreate();
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());
    esp_netif_t *netif = esp_netif_create_default_wifi_sta();
    wifi_init_config_t init = WIFI_INIT_CONFIG_DEFAULT();
    ESP_ERROR_CHECK(esp_wifi_init(&init));
    ESP_ERROR_CHECK(esp_event_handler_register(WIFI_EVENT, ESP_EVENT_ANY_ID, on_wifi, NULL));
    ESP_ERROR_CHECK(esp_event_handler_register(IP_EVENT, IP_EVENT_STA_GOT_IP, on_wifi, NULL));
    wifi_config_t wc;
    memset(&wc, 0, sizeof wc);
    strncpy((char *)wc.sta.ssid, CONFIG_XPL_WIFI_SSID, sizeof wc.sta.ssid - 1);
    strncpy((char *)wc.sta.password, CONFIG_XPL_WIFI_PASSWORD, sizeof wc.sta.password - 1);
    ESP_ERROR_CHECK(esp_wifi_set_mode(WIFI_MODE_STA));
    ESP_ERROR_CHECK(esp_wifi_set_config(WIFI_IF_STA, &wc));
    ESP_ERROR_CHECK(esp_wifi_start());
    xEventGroupWaitBits(wifi_events, WIFI_UP, pdFALSE, pdTRUE, portMAX_DELAY);
    return netif;
}

static void device_task(void *arg)
{
    (void)arg;
    for (;;) {
        xh_result e = xh_device_run(&device, &config);
        ESP_LOGE(TAG, "device stopped: %s; restarting in 10 s", e ? e : "stop requested");
        vTaskDelay(pdMS_TO_TICKS(10000));
        stop_requested = 0;
    }
}

void app_main(void)
{
    esp_err_t e = nvs_flash_init();
    if (e == ESP_ERR_NVS_NO_FREE_PAGES || e == ESP_ERR_NVS_NEW_VERSION_FOUND) {
        ESP_ERROR_CHECK(nvs_flash_erase());
        e = nvs_flash_init();
    }
    ESP_ERROR_CHECK(e);
    esp_netif_t *netif = wifi_start();
    esp_netif_ip_info_t ip;
    ESP_ERROR_CHECK(esp_netif_get_ip_info(netif, &ip));
    uint32_t address = ntohl(ip.ip.addr), netmask = ntohl(ip.netmask.addr);

    config.wasm = xpl_wasm_start;
    config.wasm_len = (uint32_t)(xpl_wasm_end - xpl_wasm_start);
    config.source = CONFIG_XPL_SOURCE;
#ifdef CONFIG_XPL_APP_MODE
    config.app_mode = 1;
#endif
#ifdef CONFIG_XPL_CONFIGURABLE
    config.configurable = 1;
#endif
#ifdef CONFIG_XPL_STATUS_KEY
    config.status_key = 1;
#endif
    config.hears_own_broadcast = 0;   /* lwIP does not deliver our own broadcasts back */
    config.restore_config = 1;        /* NVS */
    config.interval_min = CONFIG_XPL_INTERVAL_MIN;
    config.bind_ipv4 = XH_IPV4_ANY;
    config.xpl_port = CONFIG_XPL_PORT;
    config.broadcast_ipv4 = address | ~netmask;   /* the network's directed broadcast */
    if (CONFIG_XPL_BROADCAST[0] && xh_parse_ipv4(CONFIG_XPL_BROADCAST, &config.broadcast_ipv4) != 0) {
        ESP_LOGE(TAG, "CONFIG_XPL_BROADCAST is not an IPv4 address: using the directed broadcast");
        config.broadcast_ipv4 = address | ~netmask;
    }
    xh_line l;
    xh_line_init(&l, remote_ip, sizeof remote_ip);
    xh_line_ipv4(&l, address);
    config.remote_ip = remote_ip;
    config.stop = &stop_requested;
    xTaskCreate(device_task, "xpl", XPL_TASK_STACK_BYTES, NULL, 5, NULL);
}
